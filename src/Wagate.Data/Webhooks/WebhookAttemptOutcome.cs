using Wagate.Contracts.Webhook.V1;

namespace Wagate.Data.Webhooks;

/// <summary>How one POST of a delivery went, and where that leaves the delivery: PENDING with
/// the time of the next attempt, SUCCEEDED or FAILED (given up). The sender decides the
/// backoff; the store keeps the record.</summary>
/// <param name="ResponseCode">The HTTP status code; 0 when there was no answer.</param>
public sealed record WebhookAttemptOutcome(
    DateTime Time,
    TimeSpan Latency,
    int ResponseCode,
    string Error,
    WebhookDelivery.Types.State NewState,
    DateTime? NextAttemptTime);
