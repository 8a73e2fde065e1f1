using System.Globalization;
using Grpc.Core;
using Wagate.Contracts.Webhook.V1;
using Wagate.Core;
using Wagate.Data.Webhooks;
using Wagate.Gateway.Common;
using Wagate.Gateway.Errors;

namespace Wagate.Gateway.Webhooks;

/// <summary>WebhookService: requests are validated and the caller's access to the tenant checked
/// by the interceptors before these run; every store call is scoped to the tenant of the name.</summary>
public sealed class WebhookGrpcService(WebhookStore webhooks, TimeProvider clock) : WebhookService.WebhookServiceBase
{
    public override async Task<CreateWebhookResponse> CreateWebhook(CreateWebhookRequest request, ServerCallContext context) => new()
    {
        Webhook = await webhooks.CreateAsync(TenantOf(request.Parent), request.Webhook.Url.Trim(), request.Webhook.EventTypes.Distinct().ToList(),
            request.Webhook.Sessions.Select(LastId).Distinct(StringComparer.Ordinal).ToList(), clock.GetUtcNow().UtcDateTime, context.CancellationToken),
    };

    public override async Task<GetWebhookResponse> GetWebhook(GetWebhookRequest request, ServerCallContext context)
    {
        var (tenant, webhook) = WebhookOf(request.Name);
        return new GetWebhookResponse
        {
            Webhook = await webhooks.GetAsync(tenant, webhook, context.CancellationToken) ?? throw ApiErrors.NotFound(request.Name),
        };
    }

    public override async Task<ListWebhooksResponse> ListWebhooks(ListWebhooksRequest request, ServerCallContext context)
    {
        var page = await webhooks.ListAsync(TenantOf(request.Parent), Paging.After(request.PageToken), Paging.Size(request.PageSize), context.CancellationToken);
        return new ListWebhooksResponse
        {
            Webhooks = { page.Webhooks },
            NextPageToken = page.NextAfterId is { } after ? Paging.Token(after) : "",
        };
    }

    public override async Task<DeleteWebhookResponse> DeleteWebhook(DeleteWebhookRequest request, ServerCallContext context)
    {
        var (tenant, webhook) = WebhookOf(request.Name);
        return await webhooks.DeleteAsync(tenant, webhook, context.CancellationToken) ? new DeleteWebhookResponse() : throw ApiErrors.NotFound(request.Name);
    }

    public override async Task<ListWebhookDeliveriesResponse> ListWebhookDeliveries(ListWebhookDeliveriesRequest request, ServerCallContext context)
    {
        var (tenant, webhook) = WebhookOf(request.Parent);
        if (await webhooks.GetAsync(tenant, webhook, context.CancellationToken) is null)
        {
            throw ApiErrors.NotFound(request.Parent);
        }
        long? before = Paging.After(request.PageToken) is { } token && long.TryParse(token, NumberStyles.None, CultureInfo.InvariantCulture, out var cursor)
            ? cursor
            : null;
        var page = await webhooks.ListDeliveriesAsync(tenant, webhook, before, Paging.Size(request.PageSize), context.CancellationToken);
        return new ListWebhookDeliveriesResponse
        {
            Deliveries = { page.Deliveries },
            NextPageToken = page.NextBeforeCursor is { } next ? Paging.Token(next.ToString(CultureInfo.InvariantCulture)) : "",
        };
    }

    public override async Task<RedeliverWebhookDeliveryResponse> RedeliverWebhookDelivery(RedeliverWebhookDeliveryRequest request, ServerCallContext context)
    {
        var parts = ResourceNames.Ids(request.Name, ResourceNames.DeliveryPattern);
        if (!long.TryParse(parts[2], NumberStyles.None, CultureInfo.InvariantCulture, out var cursor))
        {
            throw ApiErrors.NotFound(request.Name);
        }
        return new RedeliverWebhookDeliveryResponse
        {
            Delivery = await webhooks.RedeliverAsync(parts[0], parts[1], cursor, clock.GetUtcNow().UtcDateTime, context.CancellationToken)
                ?? throw ApiErrors.NotFound(request.Name),
        };
    }

    private static string TenantOf(string name) => ResourceNames.Ids(name, ResourceNames.TenantPattern)[0];

    private static (string Tenant, string Webhook) WebhookOf(string name)
    {
        var ids = ResourceNames.Ids(name, ResourceNames.WebhookPattern);
        return (ids[0], ids[1]);
    }

    private static string LastId(string name) => ResourceNames.LastId(name);
}
