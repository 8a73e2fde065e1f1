using Wagate.Contracts.Message.V1;

namespace Wagate.Data.Webhooks;

/// <summary>A delivery a sender holds until <see cref="ClaimedUntil"/>: everything it needs to
/// POST the event and sign it, and the token to record the outcome with.</summary>
/// <param name="AttemptCount">Attempts made before this one.</param>
/// <param name="CreateTime">When the delivery was queued, for giving up after a while.</param>
public sealed record ClaimedWebhookDelivery(
    string TenantId,
    string WebhookId,
    long EventCursor,
    string Url,
    string Secret,
    Event Event,
    int AttemptCount,
    DateTime CreateTime,
    string ClaimToken,
    DateTime ClaimedUntil);
