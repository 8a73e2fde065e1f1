using Google.Protobuf;
using Grpc.Core;
using Microsoft.Extensions.DependencyInjection;
using Wagate.Contracts.Message.V1;
using Wagate.Contracts.Sandbox.V1;
using Wagate.Data;
using Wagate.Data.Messages;
using Wagate.Storage;
using Xunit;
using SessionState = Wagate.Contracts.Session.V1.Session.Types.State;
using State = Wagate.Contracts.Message.V1.Message.Types.State;

namespace Wagate.Gateway.Tests.Messaging;

/// <summary>Messages sent through a connected session reach a sandbox phone and move through
/// sent, delivered and read (played for voice notes and videos), as the sender sees them.</summary>
public abstract class SendingTests(IMessagingFixture host)
{
    private MessagingSession Messaging => host.Messaging;

    public static readonly TheoryData<string> Kinds = new() { "text", "image", "video", "audio", "document", "location", "contact", "poll", "reply", "reaction" };

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task Each_kind_of_message_reaches_the_phone_and_is_delivered_then_read(string kind)
    {
        var phone = await Messaging.NewPhoneAsync();
        var request = await RequestAsync(kind, phone);

        var sent = (await Messaging.Messages.SendMessageAsync(request, Messaging.Headers)).Message;

        Assert.Equal((State.Queued, Message.Types.Direction.Outbound, phone), (sent.State, sent.Direction, sent.Chat));
        var delivered = await Messaging.WaitForAsync(sent.Name, m => m.State == State.Delivered);
        Assert.NotNull(delivered.SendTime);
        Assert.NotNull(delivered.DeliverTime);
        var arrived = Assert.Single(await Messaging.InboxAsync(phone), m => m.Id == IdOf(sent.Name));
        Assert.Equal(KindOf(kind), arrived.Kind);

        await Messaging.Phones.MarkSandboxMessagesReadAsync(new MarkSandboxMessagesReadRequest { Parent = Messaging.PhoneName(phone), MessageIds = { arrived.Id } }, Messaging.Headers);
        var read = await Messaging.WaitForAsync(sent.Name, m => m.State == State.Read);
        Assert.NotNull(read.ReadTime);

        if (kind is "audio" or "video")
        {
            await Messaging.Phones.MarkSandboxMessagesPlayedAsync(new MarkSandboxMessagesPlayedRequest { Parent = Messaging.PhoneName(phone), MessageIds = { arrived.Id } }, Messaging.Headers);
            Assert.NotNull((await Messaging.WaitForAsync(sent.Name, m => m.State == State.Played)).PlayTime);
        }
    }

    [Fact]
    public async Task Over_REST_a_reaction_names_its_message_by_messageId_and_a_failure_by_failureReason()
    {
        var phone = await Messaging.NewPhoneAsync();
        var earlier = (await Messaging.Messages.SendMessageAsync(new SendMessageRequest
        {
            Parent = Messaging.Session, To = phone, Text = new TextContent { Body = "Rate us" },
        }, Messaging.Headers)).Message;
        var rest = (Support.RestApi)Messaging.Server.Api(Support.Protocol.Rest);

        var (status, body) = await rest.SendRawAsync(HttpMethod.Post, $"/v1/{Messaging.Session}/messages",
            $$$"""{"to":"{{{phone}}}","reaction":{"messageId":"{{{IdOf(earlier.Name)}}}","emoji":"⭐"}}""", Messaging.Account.Key);
        var (unknownStatus, unknownBody) = await rest.SendRawAsync(HttpMethod.Post, $"/v1/{Messaging.Session}/messages",
            """{"to":"+15557999999","text":{"body":"Nobody here"}}""", Messaging.Account.Key);

        Assert.Equal(200, status);
        using var reaction = System.Text.Json.JsonDocument.Parse(body);
        Assert.Equal(IdOf(earlier.Name), reaction.RootElement.GetProperty("content").GetProperty("reaction").GetProperty("messageId").GetString());
        Assert.Equal(200, unknownStatus);
        var failed = await Messaging.WaitForAsync(System.Text.Json.JsonDocument.Parse(unknownBody).RootElement.GetProperty("name").GetString()!, m => m.State == State.Failed);
        using var read = new HttpRequestMessage(HttpMethod.Get, $"/v1/{failed.Name}") { Headers = { { "x-api-key", Messaging.Account.Key.ApiKey } } };
        using var failure = System.Text.Json.JsonDocument.Parse(await (await Messaging.Server.Http.SendAsync(read)).Content.ReadAsStringAsync());
        Assert.Equal("RECIPIENT_NOT_ON_WHATSAPP", failure.RootElement.GetProperty("failureReason").GetString());
        Assert.False(string.IsNullOrEmpty(failure.RootElement.GetProperty("failureMessage").GetString()));
    }

    [Fact]
    public async Task Fifty_concurrent_retries_of_one_request_id_make_one_message_and_one_delivery()
    {
        var phone = await Messaging.NewPhoneAsync();
        var request = new SendMessageRequest { Parent = Messaging.Session, To = phone, RequestId = "order-4711", Text = new TextContent { Body = "Your order shipped" } };

        var answers = await Task.WhenAll(Enumerable.Range(0, 50).Select(async _ =>
            (await Messaging.Messages.SendMessageAsync(request, Messaging.Headers)).Message.Name));

        var name = Assert.Single(answers.Distinct());
        await Messaging.WaitForAsync(name, m => m.State == State.Delivered);
        Assert.Single(await Messaging.InboxAsync(phone));
        var listed = await Messaging.Messages.ListMessagesAsync(new ListMessagesRequest { Parent = Messaging.Session, Filter = $"chat = \"{phone}\"" }, Messaging.Headers);
        Assert.Equal([name], listed.Messages.Select(m => m.Name));
    }

    [Fact]
    public async Task Inline_media_reaches_the_phone_whole_while_the_message_keeps_only_its_size_and_hash_and_no_copy_stays()
    {
        var phone = await Messaging.NewPhoneAsync();
        var data = new byte[10_000];
        Random.Shared.NextBytes(data);
        var sha256 = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(data));

        var sent = (await Messaging.Messages.SendMessageAsync(new SendMessageRequest
        {
            Parent = Messaging.Session, To = phone, Document = new MediaContent { Data = ByteString.CopyFrom(data), FileName = "invoice.pdf", MimeType = "application/pdf" },
        }, Messaging.Headers)).Message;

        Assert.Equal((MediaContent.SourceOneofCase.None, 10_000L, sha256), (sent.Content.Document.SourceCase, sent.Content.Document.SizeBytes, sent.Content.Document.Sha256));
        await Messaging.WaitForAsync(sent.Name, m => m.State == State.Delivered);
        // The worker took the bytes from the media store (an engine refuses media known only by
        // its hash) and the phone got exactly them.
        var arrived = Assert.Single(await Messaging.InboxAsync(phone)).Content.Document;
        Assert.Equal((10_000L, sha256, "invoice.pdf"), (arrived.SizeBytes, arrived.Sha256, arrived.FileName));
        // WhatsApp has it now: the copy kept for sending is gone.
        var blobs = new Wagate.Storage.LocalDirectoryBlobStore(Messaging.StateDirectory);
        Assert.Null(await blobs.GetAsync($"media/{Messaging.TenantId}/{IdOf(sent.Name)}"));
    }

    [Fact]
    public async Task Fifty_concurrent_retries_of_an_inline_media_send_make_one_message_and_leave_no_copy_of_the_media()
    {
        var phone = await Messaging.NewPhoneAsync();
        var request = new SendMessageRequest
        {
            Parent = Messaging.Session, To = phone, RequestId = "voice-77",
            Audio = new MediaContent { Data = ByteString.CopyFrom(new byte[30_000]), MimeType = "audio/ogg", VoiceNote = true },
        };

        var answers = await Task.WhenAll(Enumerable.Range(0, 50).Select(async _ =>
            (await Messaging.Messages.SendMessageAsync(request, Messaging.Headers)).Message.Name));

        var name = Assert.Single(answers.Distinct());
        await Messaging.WaitForAsync(name, m => m.State == State.Delivered);
        Assert.Single(await Messaging.InboxAsync(phone));
        // The copies of retries that lost the race, and the sent message's own once WhatsApp took it.
        var media = Path.Combine(Messaging.StateDirectory, "media", Messaging.TenantId);
        Assert.Empty(Directory.Exists(media) ? Directory.GetFiles(media, "*", SearchOption.AllDirectories) : []);
    }

    [Fact]
    public async Task A_message_whose_inline_media_is_gone_fails_and_the_messages_after_it_are_still_sent()
    {
        var phone = await Messaging.NewPhoneAsync();
        // Accepted as the gateway would, but its media never reached (or no longer is in) the store.
        var unknownMedia = new MediaContent { SizeBytes = 5, Sha256 = new string('a', 64), MimeType = "image/png" };
        string lost;
        using (var scope = Messaging.Server.Services.CreateScope())
        {
            var accepted = await scope.ServiceProvider.GetRequiredService<GatewayMessageStore>().AcceptAsync(
                Messaging.TenantId, Messaging.Session.Split('/')[3], null, phone, new Content { Image = unknownMedia }, DateTime.UtcNow);
            lost = accepted.Message.Name;
        }

        var next = (await Messaging.Messages.SendMessageAsync(new SendMessageRequest
        {
            Parent = Messaging.Session, To = phone, Text = new TextContent { Body = "Still here" },
        }, Messaging.Headers)).Message;

        var failed = await Messaging.WaitForAsync(lost, m => m.State == State.Failed);
        Assert.Equal("MEDIA_UNAVAILABLE", failed.FailureReason);
        Assert.NotNull(failed.FailTime);
        await Messaging.WaitForAsync(next.Name, m => m.State == State.Delivered);
        Assert.Equal(SandboxMessage.Types.Kind.Text, Assert.Single(await Messaging.InboxAsync(phone)).Kind);
    }

    [Fact]
    public async Task Messages_still_queued_when_a_session_logs_out_fail_and_are_not_sent_by_its_next_link()
    {
        var phone = await Messaging.NewPhoneAsync();
        var session = await Messaging.Driver.CreateAsync(sessionId: "logs-out");
        await Messaging.Driver.WaitForStateAsync(session.Name, SessionState.ScanQrCode);
        // Accepted while the session was linked, say, and not sent before it logged out.
        var mediaId = RecordIds.NewMessageId();
        var media = Messaging.Server.Services.GetRequiredService<MediaStore>();
        await media.PutAsync(Messaging.TenantId, mediaId, new byte[] { 1, 2, 3 });
        string[] queued;
        using (var scope = Messaging.Server.Services.CreateScope())
        {
            var store = scope.ServiceProvider.GetRequiredService<GatewayMessageStore>();
            queued =
            [
                (await store.AcceptAsync(Messaging.TenantId, "logs-out", null, phone, new Content { Text = new TextContent { Body = "Queued" } }, DateTime.UtcNow)).Message.Name,
                (await store.AcceptAsync(Messaging.TenantId, "logs-out", null, phone,
                    new Content { Image = new MediaContent { SizeBytes = 3, Sha256 = new string('b', 64) } }, DateTime.UtcNow, mediaId)).Message.Name,
            ];
        }

        await Messaging.Driver.LogoutAsync(session.Name);

        foreach (var name in queued)
        {
            var failed = await Messaging.WaitForAsync(name, m => m.State == State.Failed);
            Assert.Equal("SESSION_LOGGED_OUT", failed.FailureReason);
        }
        Assert.Null(await media.GetAsync(Messaging.TenantId, mediaId));

        // Linked again (another number could scan): only what is sent from now on goes out.
        const string NextLink = "+15557300001";
        await Messaging.Driver.CreatePhoneAsync(NextLink);
        await Messaging.Driver.RestartAsync(session.Name);
        await Messaging.Driver.WaitForStateAsync(session.Name, SessionState.ScanQrCode);
        await Messaging.Driver.ScanAsync((await Messaging.Driver.GetQrCodeAsync(session.Name)).Code, NextLink);
        await Messaging.Driver.WaitForStateAsync(session.Name, SessionState.Connected);
        var next = (await Messaging.Messages.SendMessageAsync(new SendMessageRequest
        {
            Parent = session.Name, To = phone, Text = new TextContent { Body = "From the new link" },
        }, Messaging.Headers)).Message;
        await Messaging.WaitForAsync(next.Name, m => m.State == State.Delivered);
        Assert.Equal([IdOf(next.Name)], (await Messaging.InboxAsync(phone)).Select(m => m.Id));
    }

    private async Task<SendMessageRequest> RequestAsync(string kind, string phone)
    {
        var request = new SendMessageRequest { Parent = Messaging.Session, To = phone.TrimStart('+') };
        switch (kind)
        {
            case "text":
                request.Text = new TextContent { Body = $"Hello @{phone.TrimStart('+')}" };
                request.Mentions.Add(phone);
                break;
            case "image":
                request.Image = new MediaContent { Url = "https://example.com/cat.jpg", Caption = "A cat" };
                break;
            case "video":
                request.Video = new MediaContent { Url = "https://example.com/clip.mp4" };
                break;
            case "audio":
                request.Audio = new MediaContent { Data = ByteString.CopyFromUtf8("OggS voice"), MimeType = "audio/ogg", VoiceNote = true };
                break;
            case "document":
                request.Document = new MediaContent { Url = "https://example.com/terms.pdf", FileName = "terms.pdf" };
                break;
            case "location":
                request.Location = new LocationContent { Latitude = 52.52, Longitude = 13.405, Name = "Berlin" };
                break;
            case "contact":
                request.Contact = new ContactContent { DisplayName = "Support", Vcard = "BEGIN:VCARD\nVERSION:3.0\nFN:Support\nTEL:+15550000000\nEND:VCARD" };
                break;
            case "poll":
                request.Poll = new PollContent { Question = "Lunch?", Options = { "Pizza", "Sushi" } };
                break;
            case "reply" or "reaction":
                var earlier = (await Messaging.Messages.SendMessageAsync(new SendMessageRequest
                {
                    Parent = Messaging.Session, To = phone, Text = new TextContent { Body = "Earlier" },
                }, Messaging.Headers)).Message;
                if (kind == "reply")
                {
                    request.Text = new TextContent { Body = "About that" };
                    request.ReplyTo = earlier.Name;
                }
                else
                {
                    request.Reaction = new ReactionContent { MessageId = IdOf(earlier.Name), Emoji = "👍" };
                }
                break;
        }
        return request;
    }

    private static SandboxMessage.Types.Kind KindOf(string kind) => kind switch
    {
        "text" or "reply" => SandboxMessage.Types.Kind.Text,
        "image" => SandboxMessage.Types.Kind.Image,
        "video" => SandboxMessage.Types.Kind.Video,
        "audio" => SandboxMessage.Types.Kind.Audio,
        "document" => SandboxMessage.Types.Kind.Document,
        "location" => SandboxMessage.Types.Kind.Location,
        "contact" => SandboxMessage.Types.Kind.Contact,
        "poll" => SandboxMessage.Types.Kind.Poll,
        _ => SandboxMessage.Types.Kind.Reaction,
    };

    private static string IdOf(string name) => name[(name.LastIndexOf('/') + 1)..];
}

public sealed class SingleNodeSendingTests(SingleNodeMessagingFixture fixture) : SendingTests(fixture), IClassFixture<SingleNodeMessagingFixture>;

public sealed class ClusterSendingTests(ClusterMessagingFixture fixture) : SendingTests(fixture), IClassFixture<ClusterMessagingFixture>;
