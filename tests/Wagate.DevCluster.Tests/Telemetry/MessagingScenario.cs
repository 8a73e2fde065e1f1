using Grpc.Core;
using Grpc.Net.Client;
using Wagate.Contracts.Identity.V1;
using Wagate.Contracts.Message.V1;
using Wagate.Contracts.Sandbox.V1;
using Wagate.Contracts.Session.V1;
using Wagate.Contracts.Webhook.V1;
using Wagate.DevCluster.Fleet;
using Wagate.Testing;

namespace Wagate.DevCluster.Tests.Telemetry;

/// <summary>What the metrics tests do, through a gateway's public API as a customer would: a new
/// tenant links one sandbox session, subscribes a webhook to MESSAGE_RECEIVED, sends three
/// messages to a phone that is online (each SENT, then DELIVERED) and one to a number no phone
/// has (FAILED, RECIPIENT_NOT_ON_WHATSAPP), and the phone writes back once (one message
/// received, one webhook delivery).</summary>
internal static class MessagingScenario
{
    public const int Delivered = 3;

    /// <summary>Runs it; returns the session as the gateway shows it once CONNECTED (its worker).</summary>
    public static async Task<Session> RunAsync(Uri gatewayGrpc, Uri webhook, TimeSpan patience)
    {
        using var channel = GrpcChannel.ForAddress(gatewayGrpc);
        var registered = await new IdentityService.IdentityServiceClient(channel).RegisterAsync(new RegisterRequest
        {
            Email = $"metrics-{Guid.NewGuid():N}@wagate.test",
            Password = "Metrics-" + Guid.NewGuid().ToString("N"),
            DisplayName = "Metrics",
        });
        var tenant = registered.Tenant.Name;
        var credentials = new Metadata { { "x-api-key", registered.ApiKey.Key } };
        var phones = new SandboxService.SandboxServiceClient(channel);
        var sessions = new SessionService.SessionServiceClient(channel);
        var (own, recipient, nobody) = (SandboxFleet.PhoneOf(1), SandboxFleet.PhoneOf(2), SandboxFleet.PhoneOf(3));
        foreach (var number in new[] { own, recipient })
        {
            await phones.CreateSandboxPhoneAsync(new CreateSandboxPhoneRequest { Parent = tenant, SandboxPhone = new SandboxPhone { PhoneNumber = number } }, credentials);
        }
        var created = (await sessions.CreateSessionAsync(new CreateSessionRequest
        {
            Parent = tenant, SessionId = "metrics", Session = new Session { DisplayName = "Metrics", Engine = Engine.Sandbox },
        }, credentials)).Session;
        await Poll.UntilAsync(async () =>
        {
            try
            {
                var qr = (await sessions.GetSessionQrCodeAsync(new GetSessionQrCodeRequest { Name = created.Name }, credentials)).QrCode;
                await phones.ScanAsync(new ScanRequest { Tenant = tenant, Code = qr.Code, PhoneNumber = own }, credentials);
                return "scanned";
            }
            catch (RpcException waiting) when (waiting.StatusCode is StatusCode.FailedPrecondition or StatusCode.Unavailable or StatusCode.NotFound)
            {
                return null; // not placed, or no QR code yet, or the code rotated before the scan
            }
        }, patience);
        var session = await Poll.UntilAsync(async () =>
            (await sessions.GetSessionAsync(new GetSessionRequest { Name = created.Name }, credentials)).Session is { State: Session.Types.State.Connected } connected
                ? connected
                : null, patience);

        await new WebhookService.WebhookServiceClient(channel).CreateWebhookAsync(new CreateWebhookRequest
        {
            Parent = tenant, Webhook = new Webhook { Url = webhook.ToString(), EventTypes = { EventType.MessageReceived } },
        }, credentials);
        var messages = new MessageService.MessageServiceClient(channel);
        for (var i = 0; i < Delivered; i++)
        {
            await messages.SendMessageAsync(new SendMessageRequest
            {
                Parent = session.Name, To = recipient, RequestId = $"delivered-{i}", Text = new TextContent { Body = $"Message {i}" },
            }, credentials);
        }
        await messages.SendMessageAsync(new SendMessageRequest
        {
            Parent = session.Name, To = nobody, RequestId = "failed", Text = new TextContent { Body = "To nobody" },
        }, credentials);
        await phones.SendSandboxMessageAsync(new SendSandboxMessageRequest
        {
            Name = $"{tenant}/sandboxPhones/{recipient.TrimStart('+')}", To = own, Text = "Thanks",
        }, credentials);
        return session;
    }
}
