namespace Wagate.Data.Entities;

/// <summary>An endpoint that receives a tenant's events. The filters are small lists stored as
/// space-separated text (empty means all), matched in code when an event fans out. The signing
/// secret must be recovered to sign each delivery, so it is kept encrypted, not hashed.</summary>
public sealed class WebhookRecord
{
    public required string TenantId { get; set; }
    public required string Id { get; set; }
    public required string Url { get; set; }
    /// <summary>EventType numbers, e.g. "3 4"; empty for every type.</summary>
    public string EventTypes { get; set; } = "";
    /// <summary>Session ids, e.g. "support sales"; empty for every session.</summary>
    public string Sessions { get; set; } = "";
    public required byte[] SecretCiphertext { get; set; }
    public DateTime CreateTime { get; set; }
}
