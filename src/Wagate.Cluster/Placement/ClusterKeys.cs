namespace Wagate.Cluster.Placement;

/// <summary>The keys sessions are placed with (DESIGN.md, "Session ownership, placement and
/// failover"): the sessions that should run, and where each is placed.</summary>
public static class ClusterKeys
{
    public const string Sessions = "/wagate/sessions/";
    public const string Placements = "/wagate/placement/";
    public const string Controller = "/wagate/controller";

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
