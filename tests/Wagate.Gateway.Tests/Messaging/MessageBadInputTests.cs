using System.Text.Json;
using Grpc.Core;
using Wagate.Contracts.Message.V1;
using Wagate.Gateway.Tests.Support;
using Xunit;

namespace Wagate.Gateway.Tests.Messaging;

/// <summary>A send WhatsApp would refuse is refused at once, over REST with 400 naming the field;
/// a session that cannot send says so.</summary>
public abstract class MessageBadInputTests(IMessagingFixture host)
{
    private MessagingSession Messaging => host.Messaging;

    private RestApi Rest => (RestApi)Messaging.Server.Api(Protocol.Rest);

    public static readonly TheoryData<string, string> BadSends = new()
    {
        { """{"to":"+15551234567"}""", "text" },
        { """{"to":"+15551234567","text":{"body":""}}""", "text.body" },
        { """{"to":"not a number","text":{"body":"hi"}}""", "to" },
        { """{"to":"+15551234567","text":{"body":"hi"},"image":{"url":"https://example.com/a.jpg"}}""", "" },
        { """{"to":"+15551234567","image":{"url":"ftp://example.com/a.jpg"}}""", "image.url" },
        { """{"to":"+15551234567","image":{}}""", "image.url" },
        { """{"to":"+15551234567","location":{"latitude":91,"longitude":0}}""", "location.latitude" },
        { """{"to":"+15551234567","poll":{"question":"?","options":["only one"]}}""", "poll.options" },
        { """{"to":"+15551234567","contact":{"displayName":"A","vcard":"not a card"}}""", "contact.vcard" },
        { """{"to":"+15551234567","text":{"body":"hi"},"mentions":["+15550000001"]}""", "mentions[0]" },
        { """{"to":"+15551234567","text":{"body":"hi"},"replyTo":"tenants/x/sessions/other/messages/m1"}""", "replyTo" },
        { """{"to":"+15551234567","text":{"body":"hi"},"colour":"red"}""", "colour" },
        { """{"to":"+15551234567","reaction":{"messageId":"","emoji":"👍"}}""", "reaction.messageId" },
        { """{"to":"+15551234567","text":{"body":"hi"},"typing":"30s"}""", "typing" },
        { """{"to":"+15551234567","text":{"body":"hi"},"typing":"-1s"}""", "typing" },
        { """{"to":"+15551234567","reaction":{"messageId":"not an id","emoji":"👍"}}""", "reaction.messageId" },
        { """{"to":"+15551234567","reaction":{"messageId":"tenants/x/sessions/other/messages/m1","emoji":"👍"}}""", "reaction.messageId" },
    };

    [Theory]
    [MemberData(nameof(BadSends))]
    public async Task A_bad_send_is_a_400_naming_the_field(string body, string field)
    {
        var (status, text) = await Rest.SendRawAsync(HttpMethod.Post, $"/v1/{Messaging.Session}/messages", body, Messaging.Account.Key);

        Assert.Equal(400, status);
        using var error = JsonDocument.Parse(text);
        var violations = error.RootElement.GetProperty("details").EnumerateArray()
            .Where(d => d.GetProperty("@type").GetString()!.EndsWith("BadRequest", StringComparison.Ordinal))
            // An empty field (the request as a whole) is left out of the JSON, as proto JSON leaves defaults out.
            .SelectMany(d => d.GetProperty("fieldViolations").EnumerateArray().Select(v => v.TryGetProperty("field", out var f) ? f.GetString() : ""))
            .ToList();
        Assert.Contains(field, violations);
    }

    [Fact]
    public async Task Oversized_inline_media_is_refused_naming_the_field_and_the_way_out()
    {
        var body = JsonSerializer.Serialize(new { to = "+15551234567", image = new { data = Convert.ToBase64String(new byte[(int)(2.5 * 1024 * 1024)]) } });

        var (status, text) = await Rest.SendRawAsync(HttpMethod.Post, $"/v1/{Messaging.Session}/messages", body, Messaging.Account.Key);

        Assert.Equal(400, status);
        Assert.Contains("image.data", text);
        Assert.Contains("by url", text);
    }

    [Fact]
    public async Task When_inline_media_cannot_be_stored_the_send_is_a_503_with_a_retry_delay_and_nothing_is_accepted()
    {
        // A file where the tenant's media directory would go: every media write of the tenant fails.
        var blocked = Path.Combine(Messaging.StateDirectory, "media", Messaging.TenantId);
        Directory.CreateDirectory(Path.GetDirectoryName(blocked)!);
        await File.WriteAllBytesAsync(blocked, []);
        try
        {
            var body = JsonSerializer.Serialize(new { to = "+15551239999", requestId = "with-media", image = new { data = Convert.ToBase64String(new byte[1000]) } });

            var (status, text) = await Rest.SendRawAsync(HttpMethod.Post, $"/v1/{Messaging.Session}/messages", body, Messaging.Account.Key);

            Assert.Equal(503, status);
            Assert.Contains("MEDIA_STORE_UNAVAILABLE", text);
            Assert.Contains("RetryInfo", text);
            var listed = await Messaging.Messages.ListMessagesAsync(new ListMessagesRequest { Parent = Messaging.Session, Filter = "chat = \"+15551239999\"" }, Messaging.Headers);
            Assert.Empty(listed.Messages);
        }
        finally
        {
            File.Delete(blocked);
        }
    }

    [Fact]
    public async Task Sending_through_an_unknown_session_is_404()
    {
        var refused = await Assert.ThrowsAsync<RpcException>(() => Messaging.Messages.SendMessageAsync(new SendMessageRequest
        {
            Parent = $"{Messaging.Account.TenantName}/sessions/nowhere", To = "+15551234567", Text = new TextContent { Body = "hi" },
        }, Messaging.Headers).ResponseAsync);

        Assert.Equal(StatusCode.NotFound, refused.StatusCode);
    }

    [Fact]
    public async Task Sending_through_a_session_that_is_not_connected_is_a_failed_precondition_and_nothing_is_queued()
    {
        var waiting = await Messaging.Driver.CreateAsync(displayName: "Not linked yet");
        await Messaging.Driver.WaitForStateAsync(waiting.Name, Contracts.Session.V1.Session.Types.State.ScanQrCode);

        var refused = await Assert.ThrowsAsync<RpcException>(() => Messaging.Messages.SendMessageAsync(new SendMessageRequest
        {
            Parent = waiting.Name, To = "+15551234567", Text = new TextContent { Body = "hi" },
        }, Messaging.Headers).ResponseAsync);

        Assert.Equal(StatusCode.FailedPrecondition, refused.StatusCode);
        Assert.Contains("STATE_SCAN_QR_CODE", refused.Status.Detail);
        Assert.Empty((await Messaging.Messages.ListMessagesAsync(new ListMessagesRequest { Parent = waiting.Name }, Messaging.Headers)).Messages);
    }

    [Fact]
    public async Task A_bad_filter_is_refused_naming_the_problem()
    {
        var refused = await Assert.ThrowsAsync<RpcException>(() => Messaging.Messages.ListMessagesAsync(
            new ListMessagesRequest { Parent = Messaging.Session, Filter = "colour = RED" }, Messaging.Headers).ResponseAsync);

        Assert.Equal(StatusCode.InvalidArgument, refused.StatusCode);
        Assert.Contains("colour", refused.Status.Detail);
    }
}

public sealed class SingleNodeMessageBadInputTests(SingleNodeMessagingFixture fixture) : MessageBadInputTests(fixture), IClassFixture<SingleNodeMessagingFixture>;

public sealed class ClusterMessageBadInputTests(ClusterMessagingFixture fixture) : MessageBadInputTests(fixture), IClassFixture<ClusterMessagingFixture>;
