namespace Wagate.Worker.Runtime;

/// <summary>A session's keys in the coordinator (see "Session ownership, placement and failover" in
/// DESIGN.md), in one place so that the worker claiming a session and the stores fencing on that
/// claim agree.</summary>
public static class CoordinatorKeys
{
    /// <summary>Created by the worker that runs the session, bound to its lease; the key's create
    /// revision is the fencing token every commit of that owner is compared with.</summary>
    public static string Owner(SessionKey session) => $"{OwnersPrefix}{session.TenantId}/{session.SessionId}";

    public const string OwnersPrefix = "/wagate/owners/";

    /// <summary>The session's committed state manifest. Bound to no lease: it must outlive its writer
    /// for the next owner to load.</summary>
    public static string Manifest(SessionKey session) => $"/wagate/manifests/{session.TenantId}/{session.SessionId}";

    /// <summary>The session's last status, written by its owner under the fencing comparison. Bound to
    /// no lease: it shows the last word of a dead owner until the next owner speaks.</summary>
    public static string Status(SessionKey session) => $"{StatusPrefix}{session.TenantId}/{session.SessionId}";

    public const string StatusPrefix = "/wagate/status/";
}
