namespace Wagate.Data.Entities;

/// <summary>One POST of a delivery, numbered from 1 within it.</summary>
public sealed class WebhookAttemptRecord
{
    public required string TenantId { get; set; }
    public required string WebhookId { get; set; }
    public long EventCursor { get; set; }
    public int Number { get; set; }
    public DateTime Time { get; set; }
    public int LatencyMs { get; set; }
    /// <summary>The HTTP status code; 0 when there was no answer.</summary>
    public int ResponseCode { get; set; }
    public string Error { get; set; } = "";
}
