namespace Wagate.Data.Entities;

/// <summary>A tenant row: the isolation boundary every other row hangs off.</summary>
public sealed class TenantRecord
{
    public required string Id { get; set; }
    public required string DisplayName { get; set; }
    public TenantState State { get; set; } = TenantState.Active;
    public TenantPlan Plan { get; set; } = TenantPlan.Free;
    public string SuspendReason { get; set; } = "";
    /// <summary>SQLite only: the cursor of the tenant's latest event, raised by one in the
    /// transaction that appends an event. PostgreSQL's cursors come from transaction ids and
    /// leave it 0 (see <see cref="Events.EventLog"/>).</summary>
    public long LastEventCursor { get; set; }
    public DateTime CreateTime { get; set; }
    public DateTime UpdateTime { get; set; }
}

public enum TenantState
{
    Active = 1,
    Suspended = 2,
}

public enum TenantPlan
{
    Free = 1,
    Pro = 2,
    Enterprise = 3,
}
