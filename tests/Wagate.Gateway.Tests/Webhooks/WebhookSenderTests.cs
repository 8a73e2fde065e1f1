using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Wagate.Gateway.Webhooks;
using Wagate.Testing;
using Xunit;

namespace Wagate.Gateway.Tests.Webhooks;

/// <summary>Deliveries as a receiver on loopback sees them.</summary>
public sealed class WebhookSenderTests : IAsyncLifetime
{
    private const string Secret = "whsec_sender-test";
    private readonly List<(Dictionary<string, string> Headers, byte[] Body)> _received = [];
    private WebApplication _receiver = null!;
    private int _port;
    private int _answer = 200;

    public async Task InitializeAsync()
    {
        _port = FreePort.Next();
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls($"http://127.0.0.1:{_port}");
        _receiver = builder.Build();
        _receiver.MapPost("/hook", async context =>
        {
            using var body = new MemoryStream();
            await context.Request.Body.CopyToAsync(body);
            lock (_received)
            {
                // Copied: Kestrel reuses the request's header collection once the request is done.
                _received.Add((context.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase), body.ToArray()));
            }
            context.Response.StatusCode = _answer;
            if (_answer == 429)
            {
                context.Response.Headers.RetryAfter = "120";
            }
        });
        _receiver.MapPost("/moved", context =>
        {
            context.Response.Redirect($"http://127.0.0.1:{_port}/hook");
            return Task.CompletedTask;
        });
        await _receiver.StartAsync();
    }

    [Fact]
    public async Task A_delivery_arrives_signed_with_the_event_id_and_type()
    {
        using var sender = new WebhookSender(new WebhookAddressPolicy(allowPrivateAddresses: true), TimeProvider.System);
        var body = """{"cursor":"7"}"""u8.ToArray();

        var result = await sender.SendAsync(new Uri($"http://127.0.0.1:{_port}/hook"), Secret, "7", "EVENT_TYPE_MESSAGE_RECEIVED", body);

        Assert.True(result.Succeeded);
        Assert.Equal(200, result.StatusCode);
        var (headers, received) = Assert.Single(_received);
        Assert.Equal(body, received);
        Assert.Equal("7", headers["Wagate-Event-Id"]);
        Assert.Equal("EVENT_TYPE_MESSAGE_RECEIVED", headers["Wagate-Event-Type"]);
        Assert.True(WebhookSignature.Verify(Secret, headers[WebhookSignature.Header], received, DateTimeOffset.UtcNow, TimeSpan.FromMinutes(5)));
    }

    [Fact]
    public async Task A_refusal_is_recorded_with_its_status_and_retry_after()
    {
        using var sender = new WebhookSender(new WebhookAddressPolicy(allowPrivateAddresses: true), TimeProvider.System);
        _answer = 429;

        var result = await sender.SendAsync(new Uri($"http://127.0.0.1:{_port}/hook"), Secret, "8", "EVENT_TYPE_MESSAGE_RECEIVED", "{}"u8.ToArray());

        Assert.False(result.Succeeded);
        Assert.Equal((429, TimeSpan.FromSeconds(120)), (result.StatusCode, result.RetryAfter));
        Assert.Contains("429", result.Error);
    }

    [Fact]
    public async Task No_connection_is_made_to_a_private_address_unless_allowed_and_redirects_are_not_followed()
    {
        using var strict = new WebhookSender(new WebhookAddressPolicy(allowPrivateAddresses: false), TimeProvider.System);
        using var lenient = new WebhookSender(new WebhookAddressPolicy(allowPrivateAddresses: true), TimeProvider.System);

        var refused = await strict.SendAsync(new Uri($"http://localhost:{_port}/hook"), Secret, "9", "EVENT_TYPE_MESSAGE_RECEIVED", "{}"u8.ToArray());
        var redirected = await lenient.SendAsync(new Uri($"http://127.0.0.1:{_port}/moved"), Secret, "9", "EVENT_TYPE_MESSAGE_RECEIVED", "{}"u8.ToArray());

        Assert.Equal(0, refused.StatusCode);
        Assert.Contains("may not reach", refused.Error);
        Assert.Equal((int)HttpStatusCode.Redirect, redirected.StatusCode);
        Assert.Empty(_received);
    }

    [Fact]
    public async Task A_receiver_that_is_down_is_an_attempt_without_an_answer()
    {
        using var sender = new WebhookSender(new WebhookAddressPolicy(allowPrivateAddresses: true), TimeProvider.System);

        var result = await sender.SendAsync(new Uri($"http://127.0.0.1:{FreePort.Next()}/hook"), Secret, "10", "EVENT_TYPE_MESSAGE_RECEIVED", "{}"u8.ToArray());

        Assert.Equal(0, result.StatusCode);
        Assert.NotEmpty(result.Error);
    }

    public async Task DisposeAsync() => await _receiver.DisposeAsync();
}
