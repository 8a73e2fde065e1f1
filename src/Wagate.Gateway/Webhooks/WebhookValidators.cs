using Wagate.Contracts.Message.V1;
using Wagate.Contracts.Webhook.V1;
using Wagate.Core;
using Wagate.Gateway.Common;
using Wagate.Gateway.Validation;

namespace Wagate.Gateway.Webhooks;

internal sealed class CreateWebhookValidator(WebhookAddressPolicy addresses) : IRequestValidator<CreateWebhookRequest>
{
    private const int MaxSessions = 100;

    public void Validate(CreateWebhookRequest request, Violations violations)
    {
        violations.Name("parent", request.Parent, "tenants/*");
        if (request.Webhook is null)
        {
            violations.Add("webhook", "is required");
            return;
        }
        if (string.IsNullOrWhiteSpace(request.Webhook.Url))
        {
            violations.Add("webhook.url", "is required");
        }
        else if (request.Webhook.Url.Length > 2048)
        {
            violations.Add("webhook.url", "must be at most 2048 characters");
        }
        else if (addresses.ProblemWith(request.Webhook.Url) is { } problem)
        {
            violations.Add("webhook.url", problem);
        }
        for (var i = 0; i < request.Webhook.EventTypes.Count; i++)
        {
            if (request.Webhook.EventTypes[i] == EventType.Unspecified || !Enum.IsDefined(request.Webhook.EventTypes[i]))
            {
                violations.Add($"webhook.eventTypes[{i}]", "is not an event type");
            }
        }
        if (request.Webhook.Sessions.Count > MaxSessions)
        {
            violations.Add("webhook.sessions", $"at most {MaxSessions}; leave it empty for every session");
        }
        for (var i = 0; i < request.Webhook.Sessions.Count; i++)
        {
            if (!ResourceNames.TryMatch(request.Webhook.Sessions[i], "tenants/*/sessions/*", out _)
                || !request.Webhook.Sessions[i].StartsWith(request.Parent + "/", StringComparison.Ordinal))
            {
                violations.Add($"webhook.sessions[{i}]", "must be a session of this tenant, tenants/{tenant}/sessions/{session}");
            }
        }
        if (request.Webhook.Name.Length > 0 || request.Webhook.Secret.Length > 0)
        {
            violations.Add("webhook", "name and secret are set by the server and must be empty");
        }
    }
}

internal sealed class GetWebhookValidator : IRequestValidator<GetWebhookRequest>
{
    public void Validate(GetWebhookRequest request, Violations violations) => violations.Name("name", request.Name, "tenants/*/webhooks/*");
}

internal sealed class ListWebhooksValidator : IRequestValidator<ListWebhooksRequest>
{
    public void Validate(ListWebhooksRequest request, Violations violations) =>
        violations.Name("parent", request.Parent, "tenants/*").PageSize("pageSize", request.PageSize);
}

internal sealed class DeleteWebhookValidator : IRequestValidator<DeleteWebhookRequest>
{
    public void Validate(DeleteWebhookRequest request, Violations violations) => violations.Name("name", request.Name, "tenants/*/webhooks/*");
}

internal sealed class ListWebhookDeliveriesValidator : IRequestValidator<ListWebhookDeliveriesRequest>
{
    public void Validate(ListWebhookDeliveriesRequest request, Violations violations) =>
        violations.Name("parent", request.Parent, "tenants/*/webhooks/*").PageSize("pageSize", request.PageSize);
}

internal sealed class RedeliverWebhookDeliveryValidator : IRequestValidator<RedeliverWebhookDeliveryRequest>
{
    public void Validate(RedeliverWebhookDeliveryRequest request, Violations violations) =>
        violations.Name("name", request.Name, "tenants/*/webhooks/*/deliveries/*");
}
