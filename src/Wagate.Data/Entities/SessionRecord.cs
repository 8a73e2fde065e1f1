namespace Wagate.Data.Entities;

/// <summary>A WhatsApp session: what the tenant asked for (name, engine) and the last state its
/// worker reported. Enum columns hold the API's enum numbers (Engine, Session.State), which
/// the contract never renumbers.</summary>
public sealed class SessionRecord
{
    public required string TenantId { get; set; }
    public required string Id { get; set; }
    public required string DisplayName { get; set; }
    public int Engine { get; set; }
    public int State { get; set; }
    public string PhoneNumber { get; set; } = "";
    public string ErrorReason { get; set; } = "";
    public string ErrorMessage { get; set; } = "";
    public int ErrorCode { get; set; }
    public DateTime? ErrorTime { get; set; }
    /// <summary>The largest fencing token a worker has claimed this session with. The message
    /// ledger refuses writes under any other token, so a worker that lost the session writes
    /// nothing that counts.</summary>
    public long OwnerToken { get; set; }
    /// <summary>The blob holding the session's state as of delta <see cref="StateSnapshotThrough"/>;
    /// null before the first compaction and after a wipe. Written by the session's owner only.</summary>
    public string? StateSnapshot { get; set; }
    /// <summary>Deltas up to this id are in the snapshot (or were wiped); the state is the
    /// snapshot followed by the session's deltas after it.</summary>
    public long StateSnapshotThrough { get; set; }
    public DateTime CreateTime { get; set; }
    public DateTime UpdateTime { get; set; }
}
