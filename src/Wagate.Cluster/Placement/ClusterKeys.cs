namespace Wagate.Cluster.Placement;

/// <summary>The keys sessions are placed with (DESIGN.md, "Session ownership, placement and
/// failover"): the sessions that should run, where each is placed, and the operators' requests
/// the placement controller carries out.</summary>
public static class ClusterKeys
{
    public const string Sessions = "/wagate/sessions/";
    public const string Placements = "/wagate/placement/";
    public const string Controller = "/wagate/controller";

    /// <summary><c>{prefix}{worker id}</c>: the worker takes no sessions and gives away those it has.
    /// Bound to the worker's own lease, so a restarted worker takes sessions again.</summary>
    public const string Draining = "/wagate/draining/";

    /// <summary><c>{prefix}{tenant}/{session}</c> = worker name: move the session there. Consumed by
    /// the controller's next pass, honoured or not.</summary>
    public const string Moves = "/wagate/moves/";

    /// <summary>The draining mark of a worker named <c>workers/{id}</c>.</summary>
    public static string DrainingOf(string workerName) =>
        Draining + (workerName.StartsWith("workers/", StringComparison.Ordinal) ? workerName["workers/".Length..] : workerName);

    /// <summary>The worker name a draining mark stands for.</summary>
    public static string WorkerOfDraining(string key) => "workers/" + key[Draining.Length..];

    /// <summary>A session's key below a prefix: <c>{prefix}{tenant}/{session}</c> for the session
    /// <c>tenants/{tenant}/sessions/{session}</c>.</summary>
    public static string Of(string prefix, string sessionName)
    {
        var parts = sessionName.Split('/');
        return $"{prefix}{parts[1]}/{parts[3]}";
    }

    /// <summary>The session name a key below <paramref name="prefix"/> stands for.</summary>
    public static string SessionOf(string prefix, string key)
    {
        var parts = key[prefix.Length..].Split('/');
        return $"tenants/{parts[0]}/sessions/{parts[1]}";
    }
}
