namespace Wagate.Core;

/// <summary>Every key of the coordinator, in one place (DESIGN.md, "Session ownership, placement
/// and failover"), so that the gateway declaring and placing sessions, the worker owning them and
/// the stores fencing on that ownership agree. Session keys are <c>{prefix}{tenant}/{session}</c>.</summary>
public static class ClusterKeys
{
    /// <summary><c>{prefix}{worker id}</c> = the worker's record, bound to its lease: the key
    /// vanishes when the worker dies, which is how the cluster learns of it.</summary>
    public const string Workers = "/wagate/workers/";

    /// <summary>The placement controller's election key.</summary>
    public const string Controller = "/wagate/controller";

    /// <summary>The sessions that should run, with their engine and generation (DesiredSession).</summary>
    public const string Sessions = "/wagate/sessions/";

    /// <summary>Where each session is placed: the worker's name.</summary>
    public const string Placements = "/wagate/placement/";

    /// <summary><c>{prefix}{worker id}</c>: the worker takes no sessions and gives away those it has.
    /// Bound to the worker's own lease, so a restarted worker takes sessions again.</summary>
    public const string Draining = "/wagate/draining/";

    /// <summary><c>{prefix}{tenant}/{session}</c> = worker name: move the session there. Consumed by
    /// the controller's next pass, honoured or not.</summary>
    public const string Moves = "/wagate/moves/";

    /// <summary>Created by the worker that runs the session, bound to its lease; the key's create
    /// revision is the fencing token every commit of that owner is compared with.</summary>
    public const string Owners = "/wagate/owners/";

    /// <summary>The session's last status, written by its owner under the fencing comparison. Bound
    /// to no lease: it shows the last word of a dead owner until the next owner speaks.</summary>
    public const string Statuses = "/wagate/status/";

    public static string Owner(SessionKey session) => Of(Owners, session);

    public static string Status(SessionKey session) => Of(Statuses, session);

    /// <summary>The record key of a worker named <c>workers/{id}</c>.</summary>
    public static string Worker(string workerName) => Workers + WorkerId(workerName);

    /// <summary>The draining mark of a worker named <c>workers/{id}</c>.</summary>
    public static string DrainingOf(string workerName) => Draining + WorkerId(workerName);

    /// <summary>The worker name a draining mark stands for.</summary>
    public static string WorkerOfDraining(string key) => "workers/" + key[Draining.Length..];

    /// <summary>A session's key below a prefix.</summary>
    public static string Of(string prefix, SessionKey session) => $"{prefix}{session.TenantId}/{session.SessionId}";

    /// <summary>A session's key below a prefix, from its name <c>tenants/{tenant}/sessions/{session}</c>.</summary>
    public static string Of(string prefix, string sessionName) => Of(prefix, SessionKey.Parse(sessionName));

    /// <summary>The session a key below <paramref name="prefix"/> stands for.</summary>
    public static SessionKey SessionAt(string prefix, string key)
    {
        var parts = key[prefix.Length..].Split('/');
        return new SessionKey(parts[0], parts[1]);
    }

    /// <summary>The session name a key below <paramref name="prefix"/> stands for.</summary>
    public static string SessionOf(string prefix, string key) => SessionAt(prefix, key).Name;

    private static string WorkerId(string workerName) =>
        workerName.StartsWith("workers/", StringComparison.Ordinal) ? workerName["workers/".Length..] : workerName;
}
