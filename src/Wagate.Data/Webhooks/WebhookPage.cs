using Wagate.Contracts.Webhook.V1;

namespace Wagate.Data.Webhooks;

/// <summary>One page of a tenant's webhooks, oldest first; <see cref="NextAfterId"/> is where the
/// next page starts (null on the last).</summary>
public sealed record WebhookPage(IReadOnlyList<Webhook> Webhooks, string? NextAfterId);
