using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Wagate.Contracts.Message.V1;
using Wagate.Contracts.Webhook.V1;
using Wagate.Gateway.Webhooks;
using Wagate.Testing;
using Xunit;

namespace Wagate.Gateway.Tests.Messaging;

/// <summary>A receiver that is down for a while loses nothing: once it is back, every event
/// arrives signed, and the delivery log shows the attempts that failed.</summary>
public abstract class WebhookDeliveryTests(IMessagingFixture host) : IAsyncLifetime
{
    private MessagingSession Messaging => host.Messaging;

    private readonly ConcurrentDictionary<string, (string Signature, byte[] Body)> _received = new();
    private WebApplication _receiver = null!;
    private int _port;
    private volatile bool _up;

    public async Task InitializeAsync()
    {
        _port = FreePort.Next();
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls($"http://127.0.0.1:{_port}");
        _receiver = builder.Build();
        _receiver.MapPost("/hook", async context =>
        {
            if (!_up)
            {
                context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
                return;
            }
            using var body = new MemoryStream();
            await context.Request.Body.CopyToAsync(body);
            _received[context.Request.Headers["Wagate-Event-Id"].ToString()] = (context.Request.Headers[WebhookSignature.Header].ToString(), body.ToArray());
        });
        await _receiver.StartAsync();
    }

    [Fact]
    public async Task Events_sent_while_the_receiver_was_down_all_arrive_signed_once_it_is_up()
    {
        var webhooks = new WebhookService.WebhookServiceClient(Messaging.Server.Grpc);
        var webhook = (await webhooks.CreateWebhookAsync(new CreateWebhookRequest
        {
            Parent = Messaging.Account.TenantName,
            Webhook = new Webhook { Url = $"http://127.0.0.1:{_port}/hook", EventTypes = { EventType.MessageReceived }, Sessions = { Messaging.Session } },
        }, Messaging.Headers)).Webhook;
        Assert.StartsWith("whsec_", webhook.Secret);
        Assert.Empty((await webhooks.GetWebhookAsync(new GetWebhookRequest { Name = webhook.Name }, Messaging.Headers)).Webhook.Secret);
        var phone = await Messaging.NewPhoneAsync();

        for (var i = 0; i < 3; i++)
        {
            await Messaging.Driver.SendFromPhoneAsync(phone, MessagingSession.SessionPhone, $"Message {i}");
        }
        // Down: every event gets failed attempts.
        var failing = await Poll.UntilAsync(async () =>
        {
            var deliveries = (await webhooks.ListWebhookDeliveriesAsync(new ListWebhookDeliveriesRequest { Parent = webhook.Name }, Messaging.Headers)).Deliveries;
            return deliveries.Count == 3 && deliveries.All(d => d.Attempts.Count > 0) ? deliveries : null;
        }, TimeSpan.FromSeconds(30));
        Assert.All(failing, d => Assert.Equal((WebhookDelivery.Types.State.Pending, 503), (d.State, d.Attempts[0].ResponseCode)));

        _up = true;

        await Poll.UntilAsync(() => Task.FromResult(_received.Count == 3 ? "all" : null), TimeSpan.FromSeconds(30));
        Assert.All(_received.Values, r => Assert.True(WebhookSignature.Verify(webhook.Secret, r.Signature, r.Body, DateTimeOffset.UtcNow, TimeSpan.FromMinutes(5))));
        Assert.All(_received.Values, r => Assert.Contains("EVENT_TYPE_MESSAGE_RECEIVED", System.Text.Encoding.UTF8.GetString(r.Body)));
        var settled = await Poll.UntilAsync(async () =>
        {
            var deliveries = (await webhooks.ListWebhookDeliveriesAsync(new ListWebhookDeliveriesRequest { Parent = webhook.Name }, Messaging.Headers)).Deliveries;
            return deliveries.All(d => d.State == WebhookDelivery.Types.State.Succeeded) ? deliveries : null;
        });
        Assert.All(settled, d => Assert.Equal(200, d.Attempts[^1].ResponseCode));
        Assert.All(settled, d => Assert.Contains(d.Attempts, a => a.ResponseCode == 503));
    }

    [Fact]
    public async Task A_delivery_can_be_sent_again()
    {
        _up = true;
        var webhooks = new WebhookService.WebhookServiceClient(Messaging.Server.Grpc);
        var webhook = (await webhooks.CreateWebhookAsync(new CreateWebhookRequest
        {
            Parent = Messaging.Account.TenantName,
            Webhook = new Webhook { Url = $"http://127.0.0.1:{_port}/hook", EventTypes = { EventType.MessageReceived } },
        }, Messaging.Headers)).Webhook;
        await Messaging.Driver.SendFromPhoneAsync(await Messaging.NewPhoneAsync(), MessagingSession.SessionPhone, "Once more, please");
        var delivered = await Poll.UntilAsync(async () => (await webhooks.ListWebhookDeliveriesAsync(
            new ListWebhookDeliveriesRequest { Parent = webhook.Name }, Messaging.Headers)).Deliveries.SingleOrDefault(d => d.State == WebhookDelivery.Types.State.Succeeded));

        var again = (await webhooks.RedeliverWebhookDeliveryAsync(new RedeliverWebhookDeliveryRequest { Name = delivered.Name }, Messaging.Headers)).Delivery;

        Assert.Equal(WebhookDelivery.Types.State.Pending, again.State);
        var redelivered = await Poll.UntilAsync(async () => (await webhooks.ListWebhookDeliveriesAsync(
            new ListWebhookDeliveriesRequest { Parent = webhook.Name }, Messaging.Headers)).Deliveries.SingleOrDefault(d => d.Attempts.Count == 2 && d.State == WebhookDelivery.Types.State.Succeeded));
        Assert.Equal(delivered.Event.Cursor, redelivered.Event.Cursor);
    }

    public async Task DisposeAsync() => await _receiver.DisposeAsync();
}

public sealed class SingleNodeWebhookDeliveryTests(SingleNodeMessagingFixture fixture) : WebhookDeliveryTests(fixture), IClassFixture<SingleNodeMessagingFixture>;

public sealed class ClusterWebhookDeliveryTests(ClusterMessagingFixture fixture) : WebhookDeliveryTests(fixture), IClassFixture<ClusterMessagingFixture>;
