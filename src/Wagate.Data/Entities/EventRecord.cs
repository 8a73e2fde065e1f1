namespace Wagate.Data.Entities;

/// <summary>One entry of a tenant's event log. <see cref="Cursor"/> counts up from 1 per tenant
/// in commit order; <see cref="Payload"/> is the protobuf JSON of the Event without its cursor
/// (the column is the one source of it). Type holds the API's EventType number.</summary>
public sealed class EventRecord
{
    public required string TenantId { get; set; }
    public long Cursor { get; set; }
    public int Type { get; set; }
    /// <summary>The session's id (not its resource name), for filtering by session.</summary>
    public required string SessionId { get; set; }
    public DateTime Time { get; set; }
    public required string Payload { get; set; }
}
