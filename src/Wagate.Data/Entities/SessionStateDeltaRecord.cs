namespace Wagate.Data.Entities;

/// <summary>One change of a session's state (keys set and removed), sealed per tenant by the
/// worker that wrote it. <see cref="Id"/> orders a session's deltas: a session's owner appends
/// one group at a time, so a session's ids rise in the order its changes were made.</summary>
public sealed class SessionStateDeltaRecord
{
    public long Id { get; set; }
    public required string TenantId { get; set; }
    public required string SessionId { get; set; }
    public required byte[] Data { get; set; }
}
