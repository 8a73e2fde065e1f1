namespace Wagate.Data.Entities;

/// <summary>One event on its way to one webhook. The event's cursor identifies the delivery
/// within its webhook, so fanning an event out twice cannot queue it twice. State holds the
/// API's WebhookDelivery.State number.</summary>
public sealed class WebhookDeliveryRecord
{
    public required string TenantId { get; set; }
    public required string WebhookId { get; set; }
    public long EventCursor { get; set; }
    public int State { get; set; }
    /// <summary>When the next attempt is due; null once the delivery succeeded or failed.</summary>
    public DateTime? NextAttemptTime { get; set; }
    public int AttemptCount { get; set; }
    /// <summary>Who is sending it right now: set by a claim, cleared when its attempt is
    /// recorded. A sender that dies leaves a claim that simply runs out.</summary>
    public string? ClaimToken { get; set; }
    public DateTime? ClaimedUntil { get; set; }
    public DateTime CreateTime { get; set; }
    public DateTime UpdateTime { get; set; }
}
