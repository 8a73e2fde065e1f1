using Wagate.Contracts.Webhook.V1;

namespace Wagate.Data.Webhooks;

/// <summary>One page of a webhook's deliveries, newest first, each with its attempts;
/// <see cref="NextBeforeCursor"/> is where the next page starts (null on the last).</summary>
public sealed record WebhookDeliveryPage(IReadOnlyList<WebhookDelivery> Deliveries, long? NextBeforeCursor);
