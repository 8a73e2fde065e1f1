using System.Security.Cryptography;
using Google.Protobuf;
using Microsoft.Extensions.Time.Testing;
using Wagate.Contracts.Message.V1;
using Wagate.Core;
using Wagate.Engines;
using Wagate.Engines.Sandbox;
using Wagate.Sandbox;
using Wagate.WhatsApp;
using Xunit;
using Kind = Wagate.Contracts.Sandbox.V1.SandboxMessage.Types.Kind;
using PhoneStatus = Wagate.Contracts.Sandbox.V1.SandboxMessage.Types.Status;
using Status = Wagate.Engines.MessageDeliveryStatus;

namespace Wagate.Worker.Tests;

/// <summary>The sandbox engine maps the engine port to the sandbox network both ways: every kind
/// of content out (references to earlier messages by id, inline media "uploaded" as its size and
/// SHA-256) and in (references as resource names of the session), and every receipt to a status.
/// The engine is driven directly, its state kept in memory and made durable at once.</summary>
public sealed class SandboxEngineTests : IAsyncLifetime
{
    private const string Tenant = "tenants/tn1";
    private const string Session = "tenants/tn1/sessions/s1";
    private const string Owner = "+15558000000";
    private const string Friend = "+15558000001";
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);
    private static readonly byte[] Invoice = "%PDF-1.4 an invoice"u8.ToArray();

    private readonly FakeTimeProvider _clock = new(DateTimeOffset.Parse("2026-01-01T00:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
    private readonly SandboxNetwork _network;
    private readonly SessionState _state = SessionState.Empty;
    private IEngineConnection _connection = null!;

    public SandboxEngineTests()
    {
        _network = new SandboxNetwork(new SandboxOptions(), _clock);
        _network.CreatePhone(Tenant, Owner);
        _network.CreatePhone(Tenant, Friend);
    }

    public static TheoryData<string> Kinds => new() { "text", "image", "video", "voice note", "document", "location", "contact", "reaction", "poll" };

    /// <summary>Links the session to <see cref="Owner"/> and connects it, as the runtime would.</summary>
    public async Task InitializeAsync()
    {
        var engine = new SandboxEngine(_network);
        await using (var linking = await engine.ConnectAsync(new EngineStart(Tenant, Session, _state, FencingToken: 1)))
        {
            var qr = Assert.IsType<EngineEvent.QrCodeShown>(await NextAsync(linking));
            _network.Scan(Tenant, qr.Code, Owner);
            Assert.Equal(515, Assert.IsType<EngineEvent.Closed>(await NextAsync(linking)).Code);
        }
        _connection = await engine.ConnectAsync(new EngineStart(Tenant, Session, _state, FencingToken: 1));
        Assert.Equal(Owner, Assert.IsType<EngineEvent.Opened>(await NextAsync(_connection)).PhoneNumber);
    }

    public async Task DisposeAsync() => await _connection.DisposeAsync();

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task Every_kind_of_content_reaches_the_phone_and_reports_sent_delivered_read_and_played_when_playable(string kind)
    {
        var (content, expectedKind, onPhone) = Sample(kind);

        await SendAsync(new OutgoingMessage("m1", Friend, content));
        var statuses = new List<EngineEvent.MessageStatusChanged> { await StatusAsync(), await StatusAsync() };
        _clock.Advance(TimeSpan.FromMinutes(1));
        _network.MarkRead(Tenant, Friend, []);
        statuses.Add(await StatusAsync());
        if (_network.MarkPlayed(Tenant, Friend, []) > 0)
        {
            statuses.Add(await StatusAsync());
        }

        var expected = expectedKind is Kind.Audio or Kind.Video
            ? new[] { Status.ServerAck, Status.Delivered, Status.Read, Status.Played }
            : [Status.ServerAck, Status.Delivered, Status.Read];
        Assert.Equal(expected, statuses.Select(s => s.Status));
        Assert.All(statuses, s => Assert.Equal(("m1", 0, ""), (s.Id, s.ErrorCode, s.Error)));
        Assert.Equal(_clock.GetUtcNow().AddMinutes(-1), statuses[0].Time);
        Assert.Equal(_clock.GetUtcNow(), statuses[^1].Time);
        var message = Assert.Single(_network.ListMessages(Tenant, Friend, 0, 10).Messages);
        Assert.Equal((expectedKind, onPhone), (message.Kind, message.Content));
    }

    [Fact]
    public async Task Content_the_network_refuses_reports_an_error_with_WhatsApps_code()
    {
        await SendAsync(new OutgoingMessage("m1", Friend, new Content { Poll = new PollContent { Question = "Lunch?", Options = { "Pizza" } } }));

        var failed = await StatusAsync();

        Assert.Equal(("m1", Status.Error, ReceiptErrorCodes.InvalidContent), (failed.Id, failed.Status, failed.ErrorCode));
        Assert.Contains("options", failed.Error);
    }

    [Fact]
    public async Task A_text_from_a_phone_arrives_as_text_content()
    {
        var sent = _network.SendFromPhone(Tenant, Friend, Owner, "hello from the phone");

        var received = await ReceivedAsync();

        Assert.Equal((sent.Id, Friend, false), (received.Id, received.From, received.Offline));
        Assert.Equal(new Content { Text = new TextContent { Body = "hello from the phone" } }, received.Content);
        Assert.Equal(_clock.GetUtcNow(), received.SendTime);
    }

    [Fact]
    public async Task An_inbound_message_is_acknowledged_only_once_it_is_recorded()
    {
        var sent = _network.SendFromPhone(Tenant, Friend, Owner, "keep me");
        var received = Assert.IsType<EngineEvent.MessageReceived>(await NextAsync(_connection));
        await Task.Delay(200); // time enough for an early acknowledgement to arrive, if one were sent

        var beforeRecorded = OnThePhone(sent.Id);
        received.MarkRecorded();

        Assert.Equal(PhoneStatus.Sent, beforeRecorded);
        await Wagate.Testing.Poll.UntilAsync(() => Task.FromResult(OnThePhone(sent.Id) == PhoneStatus.Delivered ? "delivered" : null));

        PhoneStatus OnThePhone(string id) => _network.ListMessages(Tenant, Friend, 0, 10).Messages.Single(m => m.Id == id).Status;
    }

    [Fact]
    public async Task An_inbound_reply_names_the_earlier_message_as_a_resource_of_the_session_and_a_reaction_by_id()
    {
        _network.SendFromPhone(Tenant, Friend, Owner, new Content { Reaction = new ReactionContent { MessageId = "m1", Emoji = "❤️" } });
        _network.SendFromPhone(Tenant, Friend, Owner, new Content
        {
            Audio = new MediaContent { Data = ByteString.CopyFrom(Invoice), VoiceNote = true },
            ReplyTo = "m1",
            Mentions = { Owner },
        });

        var reaction = await ReceivedAsync();
        var reply = await ReceivedAsync();

        Assert.Equal(("m1", "❤️"), (reaction.Content.Reaction.MessageId, reaction.Content.Reaction.Emoji));
        Assert.Equal("", reaction.Content.ReplyTo);
        Assert.Equal("tenants/tn1/sessions/s1/messages/m1", reply.Content.ReplyTo);
        Assert.Equal([Owner], reply.Content.Mentions);
        Assert.Equal((true, (long)Invoice.Length, Sha256Of(Invoice), MediaContent.SourceOneofCase.None),
            (reply.Content.Audio.VoiceNote, reply.Content.Audio.SizeBytes, reply.Content.Audio.Sha256, reply.Content.Audio.SourceCase));
    }

    /// <summary>Content as a gateway hands it to the engine (earlier messages by resource name,
    /// documents inline), its kind, and what the phone must show of it.</summary>
    private static (Content Content, Kind Kind, Content OnPhone) Sample(string kind)
    {
        const string earlier = "tenants/tn1/sessions/s1/messages/m0";
        return kind switch
        {
            "text" => Same(new Content { Text = new TextContent { Body = "hi @15558000001" }, Mentions = { Friend } }, Kind.Text, earlier),
            "image" => Same(new Content { Image = new MediaContent { Url = "https://example.com/cat.jpg", Caption = "a cat" } }, Kind.Image),
            "video" => Same(new Content { Video = new MediaContent { Url = "https://example.com/clip.mp4" } }, Kind.Video),
            "voice note" => Same(new Content { Audio = new MediaContent { Url = "https://example.com/note.ogg", VoiceNote = true } }, Kind.Audio),
            "document" => (
                new Content { Document = new MediaContent { Data = ByteString.CopyFrom(Invoice), FileName = "invoice.pdf", MimeType = "application/pdf" } },
                Kind.Document,
                new Content { Document = new MediaContent { SizeBytes = Invoice.Length, Sha256 = Sha256Of(Invoice), FileName = "invoice.pdf", MimeType = "application/pdf" } }),
            "location" => Same(new Content { Location = new LocationContent { Latitude = -33.8568, Longitude = 151.2153, Name = "Opera House" } }, Kind.Location),
            "contact" => Same(new Content { Contact = new ContactContent { DisplayName = "Ada", Vcard = "BEGIN:VCARD\nVERSION:3.0\nFN:Ada\nEND:VCARD" } }, Kind.Contact),
            "reaction" => (
                new Content { Reaction = new ReactionContent { MessageId = earlier, Emoji = "👍" } },
                Kind.Reaction,
                new Content { Reaction = new ReactionContent { MessageId = "m0", Emoji = "👍" } }),
            "poll" => Same(new Content { Poll = new PollContent { Question = "Lunch?", Options = { "Pizza", "Sushi" } } }, Kind.Poll),
            _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
        };

        // Content the phone shows as sent, but for a reply, which it shows by id.
        static (Content, Kind, Content) Same(Content content, Kind kind, string? replyTo = null)
        {
            var onPhone = content.Clone();
            if (replyTo is not null)
            {
                content.ReplyTo = replyTo;
                onPhone.ReplyTo = MessageReferences.IdOf(replyTo);
            }
            return (content, kind, onPhone);
        }
    }

    private static string Sha256Of(byte[] data) => Convert.ToHexStringLower(SHA256.HashData(data));

    private async Task<EngineEvent.MessageStatusChanged> StatusAsync() =>
        Assert.IsType<EngineEvent.MessageStatusChanged>(await NextAsync(_connection));

    /// <summary>The next inbound message, marked recorded as the runtime does once it is stored.</summary>
    private async Task<EngineEvent.MessageReceived> ReceivedAsync()
    {
        var received = Assert.IsType<EngineEvent.MessageReceived>(await NextAsync(_connection));
        received.MarkRecorded();
        return received;
    }

    /// <summary>The next event other than a state change; state changes are kept and made
    /// durable at once, as the runtime does once they are stored.</summary>
    /// <summary>Sends as the runtime does: the engine stores its advanced state counter first,
    /// and the runtime makes that change durable while the send waits for it.</summary>
    private async Task SendAsync(OutgoingMessage message)
    {
        var sending = _connection.SendAsync(message);
        var changed = Assert.IsType<EngineEvent.StateChanged>(await _connection.Events.ReadAsync());
        _state.Apply(changed.Delta);
        changed.MarkDurable();
        await sending;
    }

    [Fact]
    public async Task A_send_stores_the_advanced_state_counter_before_the_message_leaves()
    {
        var sending = _connection.SendAsync(new OutgoingMessage("m9", Friend, new Content { Text = new TextContent { Body = "write-ahead" } }));
        var changed = Assert.IsType<EngineEvent.StateChanged>(await _connection.Events.ReadAsync());
        await Task.Delay(200); // time enough for the message to arrive, were it sent before the state is stored

        Assert.DoesNotContain(_network.ListMessages(Tenant, Friend, 0, 10).Messages, m => m.Id == "m9");
        changed.MarkDurable();
        await sending;
        await Wagate.Testing.Poll.UntilAsync(() => Task.FromResult(_network.ListMessages(Tenant, Friend, 0, 10).Messages.SingleOrDefault(m => m.Id == "m9")));
    }

    private async Task<EngineEvent> NextAsync(IEngineConnection connection)
    {
        using var timeout = new CancellationTokenSource(Patience);
        while (true)
        {
            var next = await connection.Events.ReadAsync(timeout.Token);
            if (next is EngineEvent.StateChanged changed)
            {
                _state.Apply(changed.Delta);
                changed.MarkDurable();
                continue;
            }
            return next;
        }
    }
}
