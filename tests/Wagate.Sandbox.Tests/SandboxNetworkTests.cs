using Google.Protobuf;
using Microsoft.Extensions.Time.Testing;
using Wagate.Contracts.Message.V1;
using Wagate.Contracts.Sandbox.V1;
using Wagate.Testing;
using Wagate.WhatsApp;
using Xunit;
using Frame = Wagate.Contracts.Sandbox.V1.ConnectResponse.FrameOneofCase;
using Kind = Wagate.Contracts.Sandbox.V1.SandboxMessage.Types.Kind;
using MessageStatus = Wagate.Contracts.Sandbox.V1.SandboxMessage.Types.Status;
using ReceiptStatus = Wagate.Contracts.Sandbox.V1.Receipt.Types.Status;

namespace Wagate.Sandbox.Tests;

/// <summary>One test per behaviour the sandbox network must simulate (DESIGN.md), run against
/// every way a device reaches the network: in-process and over SandboxNetworkService. The
/// phone side and the clock stay on the network object, which the server side shares.</summary>
public abstract class SandboxNetworkTests : IAsyncLifetime
{
    private const string Tenant = "tenants/tn1";
    private const string Session = "tenants/tn1/sessions/s1";
    private const string Owner = "+15550000001";
    private const string Friend = "+15550000002";

    private readonly FakeTimeProvider _clock = new(DateTimeOffset.Parse("2026-01-01T00:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
    private readonly SandboxNetwork _network;
    private ISandboxNetworkClient _devices = null!;

    protected SandboxNetworkTests()
    {
        _network = new SandboxNetwork(new SandboxOptions { NewContactLimit = 3 }, _clock);
        _network.CreatePhone(Tenant, Owner);
        _network.CreatePhone(Tenant, Friend);
    }

    /// <summary>How devices reach <paramref name="network"/> through the adapter under test.</summary>
    protected abstract Task<ISandboxNetworkClient> DevicesOfAsync(SandboxNetwork network);

    /// <summary>The device statistics of <paramref name="network"/>, read the way the adapter's
    /// users read them (from the network object, or with ListDevices over the wire).</summary>
    protected abstract Task<IReadOnlyList<DeviceStats>> ListDevicesAsync(SandboxNetwork network, string tenant);

    public async Task InitializeAsync() => _devices = await DevicesOfAsync(_network);

    public virtual Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task QR_references_rotate_then_the_attempt_ends_with_408()
    {
        await using var device = await TestDevice.ConnectAsync(_devices, Tenant, Session);

        var first = (await device.NextAsync(Frame.Qr)).Qr;
        Assert.Equal(1, first.Sequence);
        Assert.Equal(_clock.GetUtcNow().AddSeconds(60), first.ExpireTime.ToDateTimeOffset());

        _clock.Advance(TimeSpan.FromSeconds(60));
        var second = (await device.NextAsync(Frame.Qr)).Qr;
        Assert.Equal(2, second.Sequence);
        Assert.NotEqual(first.Code, second.Code);
        Assert.Equal(_clock.GetUtcNow().AddSeconds(20), second.ExpireTime.ToDateTimeOffset());

        for (var sequence = 3; sequence <= 6; sequence++)
        {
            _clock.Advance(TimeSpan.FromSeconds(20));
            Assert.Equal(sequence, (await device.NextAsync(Frame.Qr)).Qr.Sequence);
        }
        _clock.Advance(TimeSpan.FromSeconds(20));
        var close = (await device.NextAsync(Frame.Close)).Close;
        Assert.Equal(CloseCodes.TimedOut, close.Code);
        Assert.Contains("QR refs attempts ended", close.Reason);
    }

    [Fact]
    public async Task Scanning_the_showing_QR_pairs_and_the_device_reconnects_with_its_credentials()
    {
        var (credentials, counter) = await PairAsync();

        await using var reconnected = await TestDevice.ConnectAsync(_devices, Tenant, Session, credentials, counter);
        var open = (await reconnected.NextAsync(Frame.Open)).Open;

        Assert.Equal(Owner, open.PhoneNumber);
        Assert.Equal(Owner, credentials.PhoneNumber);
        Assert.Equal(1, counter);
    }

    [Fact]
    public async Task An_expired_QR_or_one_of_another_tenant_cannot_be_scanned()
    {
        await using var device = await TestDevice.ConnectAsync(_devices, Tenant, Session);
        var expired = (await device.NextAsync(Frame.Qr)).Qr.Code;
        _clock.Advance(TimeSpan.FromSeconds(60));
        var current = (await device.NextAsync(Frame.Qr)).Qr.Code;
        _network.CreatePhone("tenants/tn2", Owner);

        Assert.Equal(SandboxErrorKind.NotFound, Assert.Throws<SandboxException>(() => _network.Scan(Tenant, expired, Owner)).Kind);
        Assert.Equal(SandboxErrorKind.NotFound, Assert.Throws<SandboxException>(() => _network.Scan("tenants/tn2", current, Owner)).Kind);
        Assert.Equal(SandboxErrorKind.NotFound, Assert.Throws<SandboxException>(() => _network.Scan(Tenant, current, "+15559999999")).Kind);
        Assert.Equal(Session, _network.Scan(Tenant, current, Owner));
    }

    [Fact]
    public async Task A_pairing_code_links_only_the_number_it_was_requested_for_and_only_while_valid()
    {
        await using var device = await TestDevice.ConnectAsync(_devices, Tenant, Session);
        await device.NextAsync(Frame.Qr);
        await device.SendAsync(new ConnectRequest { PairingCodeRequest = new PairingCodeRequest { PhoneNumber = Owner } });
        var code = (await device.NextAsync(Frame.PairingCode)).PairingCode.Code;

        Assert.Matches("^[A-Z2-9]{8}$", code);
        Assert.Equal(SandboxErrorKind.FailedPrecondition, Assert.Throws<SandboxException>(() => _network.Scan(Tenant, code, Friend)).Kind);
        Assert.Equal(Session, _network.Scan(Tenant, $"{code[..4]}-{code[4..]}", Owner));
        Assert.Equal(Frame.Paired, (await device.NextAsync()).FrameCase);
    }

    [Fact]
    public async Task An_expired_pairing_code_is_refused()
    {
        var network = new SandboxNetwork(new SandboxOptions { PairingCodeLifetime = TimeSpan.FromSeconds(30) }, _clock);
        network.CreatePhone(Tenant, Owner);
        await using var device = await TestDevice.ConnectAsync(await DevicesOfAsync(network), Tenant, Session);
        await device.NextAsync(Frame.Qr);
        await device.SendAsync(new ConnectRequest { PairingCodeRequest = new PairingCodeRequest { PhoneNumber = Owner } });
        var code = (await device.NextAsync(Frame.PairingCode)).PairingCode.Code;

        _clock.Advance(TimeSpan.FromSeconds(30)); // still inside the first QR reference's minute

        Assert.Equal(SandboxErrorKind.FailedPrecondition, Assert.Throws<SandboxException>(() => network.Scan(Tenant, code, Owner)).Kind);
    }

    [Fact]
    public async Task Reconnecting_needs_the_credentials_issued_at_pairing()
    {
        var (credentials, counter) = await PairAsync();
        var forged = credentials.Clone();
        forged.Secret = "not-the-secret";

        await using var device = await TestDevice.ConnectAsync(_devices, Tenant, Session, forged, counter);
        var close = (await device.NextAsync(Frame.Close)).Close;

        Assert.Equal(CloseCodes.LoggedOut, close.Code);
    }

    [Fact]
    public async Task A_second_connection_of_a_device_replaces_the_first_with_a_conflict()
    {
        var (credentials, counter) = await PairAsync();
        await using var first = await TestDevice.ConnectAsync(_devices, Tenant, Session, credentials, counter);
        await first.NextAsync(Frame.Open);

        await using var second = await TestDevice.ConnectAsync(_devices, Tenant, Session, credentials, counter);
        await second.NextAsync(Frame.Open);

        var close = (await first.NextAsync(Frame.Close)).Close;
        Assert.Equal(CloseCodes.Replaced, close.Code);
        // Only the second receives what is sent now.
        _network.SendFromPhone(Tenant, Friend, Owner, "to the live one");
        Assert.Equal("to the live one", (await second.NextAsync(Frame.Inbound)).Inbound.Text);
    }

    [Fact]
    public async Task A_sent_message_is_acked_then_delivered_then_read()
    {
        await using var device = await ConnectedAsync();

        await device.SendMessageAsync("m1", Friend);
        var ack = await device.NextAsync(Frame.Receipt);
        var delivered = await device.NextAsync(Frame.Receipt);
        Assert.Equal(ReceiptStatus.ServerAck, ack.Receipt.Status);
        Assert.Equal(2, ack.StateCounter);
        Assert.Equal(ReceiptStatus.Delivered, delivered.Receipt.Status);

        Assert.Equal(1, _network.MarkRead(Tenant, Friend, []));
        Assert.Equal(ReceiptStatus.Read, (await device.NextAsync(Frame.Receipt)).Receipt.Status);
        var seen = Assert.Single(_network.ListMessages(Tenant, Friend, 0, 10).Messages);
        Assert.Equal(("m1", Owner, MessageStatus.Read), (seen.Id, seen.From, seen.Status));
    }

    [Fact]
    public async Task A_message_to_an_offline_phone_is_delivered_when_it_comes_online()
    {
        await using var device = await ConnectedAsync();
        _network.SetOnline(Tenant, Friend, online: false);

        await device.SendMessageAsync("m1", Friend);
        Assert.Equal(ReceiptStatus.ServerAck, (await device.NextAsync(Frame.Receipt)).Receipt.Status);
        Assert.True(device.IsQuiet);
        Assert.Equal(MessageStatus.Sent, _network.ListMessages(Tenant, Friend, 0, 10).Messages[0].Status);

        _network.SetOnline(Tenant, Friend, online: true);
        Assert.Equal(ReceiptStatus.Delivered, (await device.NextAsync(Frame.Receipt)).Receipt.Status);
    }

    [Fact]
    public async Task Messages_sent_while_the_device_is_away_arrive_as_an_offline_backlog()
    {
        var (credentials, counter) = await PairAsync();
        var sent = _network.SendFromPhone(Tenant, Friend, Owner, "while you were away");
        Assert.Equal(MessageStatus.Sent, sent.Status);

        await using var device = await TestDevice.ConnectAsync(_devices, Tenant, Session, credentials, counter);
        await device.NextAsync(Frame.Open);
        var inbound = await device.NextAsync(Frame.Inbound);

        Assert.True(inbound.Inbound.Offline);
        Assert.False(inbound.Inbound.Undecryptable);
        Assert.Equal((Friend, "while you were away"), (inbound.Inbound.From, inbound.Inbound.Text));
        Assert.Equal(counter + 1, inbound.StateCounter);
        await device.SendAsync(new ConnectRequest { InboundAck = new InboundAck { Id = inbound.Inbound.Id } });
        // Over a wire the acknowledgement reaches the network a moment after it was sent.
        await Poll.UntilAsync(() => _network.ListMessages(Tenant, Friend, 0, 10).Messages[0].Status == MessageStatus.Delivered);
        Assert.Equal(MessageStatus.Delivered, _network.ListMessages(Tenant, Friend, 0, 10).Messages[0].Status);
    }

    [Fact]
    public async Task Reconnecting_with_a_stale_state_counter_makes_messages_undecryptable()
    {
        var (credentials, counter) = await PairAsync();
        await using (var device = await TestDevice.ConnectAsync(_devices, Tenant, Session, credentials, counter))
        {
            await device.NextAsync(Frame.Open);
            await device.SendMessageAsync("m1", Friend);
            Assert.Equal(counter + 1, (await device.NextAsync(Frame.Receipt)).StateCounter);
        }

        // The counter write after m1 was "lost": the device comes back with the old value.
        await using var stale = await TestDevice.ConnectAsync(_devices, Tenant, Session, credentials, counter);
        await stale.NextAsync(Frame.Open);
        _network.SendFromPhone(Tenant, Friend, Owner, "can you read this?");
        var inbound = await stale.NextAsync(Frame.Inbound);
        await stale.SendMessageAsync("m2", Friend);
        var refused = await stale.NextAsync(Frame.Receipt);

        Assert.True(inbound.Inbound.Undecryptable);
        Assert.Equal((ReceiptStatus.Error, ReceiptErrorCodes.StaleState), (refused.Receipt.Status, refused.Receipt.ErrorCode));
    }

    [Fact]
    public async Task Messaging_too_many_new_contacts_too_fast_restricts_the_account()
    {
        await using var device = await ConnectedAsync();
        for (var i = 0; i < 4; i++)
        {
            _network.CreatePhone(Tenant, $"+1555100000{i}");
        }

        for (var i = 0; i < 3; i++)
        {
            await device.SendMessageAsync($"new{i}", $"+1555100000{i}");
            Assert.Equal(ReceiptStatus.ServerAck, (await device.NextAsync(Frame.Receipt)).Receipt.Status);
            Assert.Equal(ReceiptStatus.Delivered, (await device.NextAsync(Frame.Receipt)).Receipt.Status);
        }
        await device.SendMessageAsync("new3", "+15551000003");

        var restriction = (await device.NextAsync(Frame.Restriction)).Restriction;
        var refused = (await device.NextAsync(Frame.Receipt)).Receipt;
        Assert.Equal(_clock.GetUtcNow().AddHours(1), restriction.Until.ToDateTimeOffset());
        Assert.Equal((ReceiptStatus.Error, ReceiptErrorCodes.Restricted), (refused.Status, refused.ErrorCode));
        // A contact already talked to can still be messaged.
        await device.SendMessageAsync("known", "+15551000000");
        Assert.Equal(ReceiptStatus.ServerAck, (await device.NextAsync(Frame.Receipt)).Receipt.Status);
    }

    [Fact]
    public async Task A_repeated_message_id_is_acknowledged_but_delivered_once()
    {
        await using var device = await ConnectedAsync();

        await device.SendMessageAsync("same-id", Friend, "once");
        await device.NextAsync(Frame.Receipt);
        await device.NextAsync(Frame.Receipt);
        await device.SendMessageAsync("same-id", Friend, "once");

        Assert.Equal(ReceiptStatus.ServerAck, (await device.NextAsync(Frame.Receipt)).Receipt.Status);
        Assert.Single(_network.ListMessages(Tenant, Friend, 0, 10).Messages);
    }

    [Fact]
    public async Task A_chat_sees_the_sender_typing_until_its_message_arrives()
    {
        const string Other = "+15550000003";
        _network.CreatePhone(Tenant, Other);
        await using var device = await ConnectedAsync();

        await device.SendAsync(new ConnectRequest { Presence = new ChatPresence { To = Friend, State = ChatPresence.Types.State.Composing } });
        // Frames of one connection arrive in order: once this message is acknowledged, the chat state was shown.
        await device.SendMessageAsync("m0", Other);
        await device.ServerAckOfAsync("m0");
        _clock.Advance(TimeSpan.FromSeconds(3));
        await device.SendMessageAsync("m1", Friend, "typed for three seconds");
        await device.ServerAckOfAsync("m1");
        await device.SendMessageAsync("m2", Friend, "right after");
        await device.ServerAckOfAsync("m2");

        var received = _network.ListMessages(Tenant, Friend, 0, 10).Messages;
        Assert.Equal(TimeSpan.FromSeconds(3), received.Single(m => m.Id == "m1").Typing.ToTimeSpan());
        Assert.Null(received.Single(m => m.Id == "m2").Typing); // the first message ended it
        Assert.Null(Assert.Single(_network.ListMessages(Tenant, Other, 0, 10).Messages).Typing);
    }

    [Fact]
    public async Task A_sender_that_went_offline_while_typing_is_not_shown_typing_before_its_next_message()
    {
        const string Other = "+15550000003";
        _network.CreatePhone(Tenant, Other);
        var (credentials, counter) = await PairAsync();
        await using (var first = await TestDevice.ConnectAsync(_devices, Tenant, Session, credentials, counter))
        {
            await first.NextAsync(Frame.Open);
            await first.SendAsync(new ConnectRequest { Presence = new ChatPresence { To = Friend, State = ChatPresence.Types.State.Composing } });
            await first.SendMessageAsync("m0", Other); // acknowledged once the chat state was shown
            counter = (await first.NextAsync(Frame.Receipt)).StateCounter;
        }
        await Poll.UntilAsync(async () => (await ListDevicesAsync(_network, Tenant)).All(d => !d.Connected));

        await using var again = await TestDevice.ConnectAsync(_devices, Tenant, Session, credentials, counter);
        await again.NextAsync(Frame.Open);
        await again.SendMessageAsync("m1", Friend);
        await again.ServerAckOfAsync("m1");

        Assert.Null(_network.ListMessages(Tenant, Friend, 0, 10).Messages.Single(m => m.Id == "m1").Typing);
    }

    [Fact]
    public async Task A_paused_chat_state_shows_nothing_when_the_message_comes()
    {
        await using var device = await ConnectedAsync();

        await device.SendAsync(new ConnectRequest { Presence = new ChatPresence { To = Friend, State = ChatPresence.Types.State.Recording } });
        await device.SendAsync(new ConnectRequest { Presence = new ChatPresence { To = Friend, State = ChatPresence.Types.State.Paused } });
        await device.SendMessageAsync("m1", Friend);
        await device.NextAsync(Frame.Receipt);

        Assert.Null(Assert.Single(_network.ListMessages(Tenant, Friend, 0, 10).Messages).Typing);
    }

    public static TheoryData<string> Kinds => SampleContent.Kinds;

    public static TheoryData<string> Refused => SampleContent.Refused;

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task Every_kind_of_content_reaches_the_phone_with_its_kind_and_summary_and_is_acked_delivered_and_read(string kind)
    {
        var (content, expectedKind, summary, _) = SampleContent.Of(kind);
        await using var device = await ConnectedAsync();

        await device.SendMessageAsync("m1", Friend, content);
        var ack = await device.NextAsync(Frame.Receipt);
        var delivered = (await device.NextAsync(Frame.Receipt)).Receipt;
        var onPhone = Assert.Single(_network.ListMessages(Tenant, Friend, 0, 10).Messages);
        _clock.Advance(TimeSpan.FromMinutes(1));
        var marked = _network.MarkRead(Tenant, Friend, ["m1"]);
        var read = (await device.NextAsync(Frame.Receipt)).Receipt;

        Assert.Equal(("m1", ReceiptStatus.ServerAck), (ack.Receipt.Id, ack.Receipt.Status));
        Assert.Equal(("m1", ReceiptStatus.Delivered), (delivered.Id, delivered.Status));
        Assert.Equal((1, "m1", ReceiptStatus.Read), (marked, read.Id, read.Status));
        Assert.Equal(_clock.GetUtcNow().AddMinutes(-1), ack.Receipt.Time.ToDateTimeOffset());
        Assert.Equal(_clock.GetUtcNow(), read.Time.ToDateTimeOffset());
        Assert.Equal(2, ack.StateCounter); // sending moved the device's state on
        Assert.Equal((expectedKind, summary, Friend, Owner), (onPhone.Kind, onPhone.Text, onPhone.To, onPhone.From));
        Assert.Equal(SampleContent.AsRecorded(content), onPhone.Content);
        Assert.Equal(MessageStatus.Read, _network.ListMessages(Tenant, Friend, 0, 10).Messages[0].Status);
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task Voice_notes_and_videos_are_played_and_nothing_else_is(string kind)
    {
        var (content, _, _, playable) = SampleContent.Of(kind);
        await using var device = await ConnectedAsync();
        await device.SendMessageAsync("m1", Friend, content);
        await device.NextAsync(Frame.Receipt);
        await device.NextAsync(Frame.Receipt);
        _network.MarkRead(Tenant, Friend, []);
        await device.NextAsync(Frame.Receipt);

        var played = _network.MarkPlayed(Tenant, Friend, ["m1"]);

        if (playable)
        {
            var receipt = (await device.NextAsync(Frame.Receipt)).Receipt;
            Assert.Equal((1, "m1", ReceiptStatus.Played), (played, receipt.Id, receipt.Status));
            Assert.Equal(MessageStatus.Played, _network.ListMessages(Tenant, Friend, 0, 10).Messages[0].Status);
            // Played is as far as a message goes: reading or playing it again changes nothing.
            Assert.Equal((0, 0), (_network.MarkRead(Tenant, Friend, []), _network.MarkPlayed(Tenant, Friend, [])));
        }
        else
        {
            Assert.Equal(0, played);
            Assert.Equal(MessageStatus.Read, _network.ListMessages(Tenant, Friend, 0, 10).Messages[0].Status);
        }
    }

    [Fact]
    public async Task A_voice_note_to_an_offline_phone_is_delivered_when_it_comes_online_then_read_and_played_at_once()
    {
        await using var device = await ConnectedAsync();
        _network.SetOnline(Tenant, Friend, online: false);
        var (note, _, _, _) = SampleContent.Of("voice note");

        await device.SendMessageAsync("m1", Friend, note);
        Assert.Equal(ReceiptStatus.ServerAck, (await device.NextAsync(Frame.Receipt)).Receipt.Status);
        Assert.Equal(MessageStatus.Sent, _network.ListMessages(Tenant, Friend, 0, 10).Messages[0].Status);
        _network.SetOnline(Tenant, Friend, online: true);
        var delivered = (await device.NextAsync(Frame.Receipt)).Receipt;
        // Playing opens the chat: the phone reports it read, then played.
        var played = _network.MarkPlayed(Tenant, Friend, []);
        var read = (await device.NextAsync(Frame.Receipt)).Receipt;
        var playedReceipt = (await device.NextAsync(Frame.Receipt)).Receipt;

        Assert.Equal(("m1", ReceiptStatus.Delivered), (delivered.Id, delivered.Status));
        Assert.Equal((1, ReceiptStatus.Read, ReceiptStatus.Played), (played, read.Status, playedReceipt.Status));
        Assert.Equal(MessageStatus.Played, _network.ListMessages(Tenant, Friend, 0, 10).Messages[0].Status);
    }

    [Fact]
    public async Task Receipts_that_happen_while_the_device_is_away_wait_for_it_with_the_time_they_happened()
    {
        var (credentials, counter) = await PairAsync();
        await using (var device = await TestDevice.ConnectAsync(_devices, Tenant, Session, credentials, counter))
        {
            await device.NextAsync(Frame.Open);
            await device.SendMessageAsync("m1", Friend, SampleContent.Of("video").Content);
            counter = (await device.NextAsync(Frame.Receipt)).StateCounter;
            await device.NextAsync(Frame.Receipt);
        }
        // Over a wire the stop reaches the network a moment after the device let go.
        await Poll.UntilAsync(async () => !Assert.Single(await ListDevicesAsync(_network, Tenant)).Connected);
        var playedAt = _clock.GetUtcNow();
        _network.MarkPlayed(Tenant, Friend, []);
        _clock.Advance(TimeSpan.FromMinutes(5));

        await using var back = await TestDevice.ConnectAsync(_devices, Tenant, Session, credentials, counter);
        await back.NextAsync(Frame.Open);
        var read = (await back.NextAsync(Frame.Receipt)).Receipt;
        var played = (await back.NextAsync(Frame.Receipt)).Receipt;

        Assert.Equal((ReceiptStatus.Read, ReceiptStatus.Played), (read.Status, played.Status));
        Assert.Equal((playedAt, playedAt), (read.Time.ToDateTimeOffset(), played.Time.ToDateTimeOffset()));
    }

    [Fact]
    public async Task Inline_media_is_kept_only_as_its_size_and_SHA_256_and_a_URL_as_given()
    {
        await using var device = await ConnectedAsync();

        await device.SendMessageAsync("m1", Friend, SampleContent.Of("document").Content);
        await device.SendMessageAsync("m2", Friend, SampleContent.Of("image").Content);
        for (var receipts = 0; receipts < 4; receipts++)
        {
            await device.NextAsync(Frame.Receipt);
        }
        var messages = _network.ListMessages(Tenant, Friend, 0, 10).Messages;

        var document = messages[0].Content.Document;
        Assert.Equal(MediaContent.SourceOneofCase.None, document.SourceCase);
        Assert.Equal(SampleContent.Invoice.Length, document.SizeBytes);
        Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(SampleContent.Invoice)), document.Sha256);
        Assert.Equal(("invoice.pdf", "application/pdf", "March"), (document.FileName, document.MimeType, document.Caption));
        Assert.Equal("https://example.com/cat.jpg", messages[1].Content.Image.Url);
    }

    [Fact]
    public async Task Media_a_device_uploaded_itself_is_taken_by_its_size_and_SHA_256()
    {
        await using var device = await ConnectedAsync();
        var uploaded = new Content
        {
            Audio = new MediaContent { SizeBytes = 4096, Sha256 = new string('b', 64), MimeType = "audio/ogg", VoiceNote = true },
        };

        await device.SendMessageAsync("m1", Friend, uploaded);

        Assert.Equal(ReceiptStatus.ServerAck, (await device.NextAsync(Frame.Receipt)).Receipt.Status);
        Assert.Equal(uploaded, _network.ListMessages(Tenant, Friend, 0, 10).Messages[0].Content);
    }

    [Theory]
    [MemberData(nameof(Refused))]
    public async Task Content_WhatsApp_refuses_fails_with_an_error_receipt_and_reaches_no_phone(string name)
    {
        var (content, code) = SampleContent.Refusal(name);
        await using var device = await ConnectedAsync();

        await device.SendMessageAsync("m1", Friend, content);
        var refused = (await device.NextAsync(Frame.Receipt)).Receipt;

        Assert.Equal(("m1", ReceiptStatus.Error, code), (refused.Id, refused.Status, refused.ErrorCode));
        Assert.StartsWith("WhatsApp refuses this message: ", refused.Error);
        Assert.Empty(_network.ListMessages(Tenant, Friend, 0, 10).Messages);
    }

    [Fact]
    public async Task A_refused_message_is_not_taken_so_a_corrected_one_with_its_id_is_delivered()
    {
        await using var device = await ConnectedAsync();

        await device.SendMessageAsync("m1", Friend, SampleContent.Text(""));
        Assert.Equal(ReceiptStatus.Error, (await device.NextAsync(Frame.Receipt)).Receipt.Status);
        await device.SendMessageAsync("m1", Friend, SampleContent.Text("second try"));

        Assert.Equal(ReceiptStatus.ServerAck, (await device.NextAsync(Frame.Receipt)).Receipt.Status);
        Assert.Equal(ReceiptStatus.Delivered, (await device.NextAsync(Frame.Receipt)).Receipt.Status);
        Assert.Equal("second try", Assert.Single(_network.ListMessages(Tenant, Friend, 0, 10).Messages).Text);
    }

    [Fact]
    public async Task A_resent_poll_with_the_same_id_is_acknowledged_again_but_reaches_the_phone_once()
    {
        await using var device = await ConnectedAsync();
        var poll = SampleContent.Of("poll").Content;

        await device.SendMessageAsync("p1", Friend, poll);
        await device.NextAsync(Frame.Receipt);
        await device.NextAsync(Frame.Receipt);
        await device.SendMessageAsync("p1", Friend, poll);
        var again = (await device.NextAsync(Frame.Receipt)).Receipt;
        // Anything after it proves the resend left nothing else on the way.
        await device.SendMessageAsync("p2", Friend, SampleContent.Text("after the poll"));
        var next = (await device.NextAsync(Frame.Receipt)).Receipt;

        Assert.Equal(("p1", ReceiptStatus.ServerAck), (again.Id, again.Status));
        Assert.Equal(("p2", ReceiptStatus.ServerAck), (next.Id, next.Status));
        Assert.Equal(["p1", "p2"], _network.ListMessages(Tenant, Friend, 0, 10).Messages.Select(m => m.Id));
    }

    [Fact]
    public async Task Messages_the_device_reads_show_read_on_the_phone_that_sent_them_and_nothing_else_changes()
    {
        await using var device = await ConnectedAsync();
        await device.SendMessageAsync("m1", Friend, "ours");
        await device.NextAsync(Frame.Receipt);
        await device.NextAsync(Frame.Receipt); // delivered to the friend
        var sent = _network.SendFromPhone(Tenant, Friend, Owner, "did you get it?");
        await device.NextAsync(Frame.Inbound);
        await device.SendAsync(new ConnectRequest { InboundAck = new InboundAck { Id = sent.Id } });

        await device.SendAsync(new ConnectRequest { ReadMessages = new ReadMessages { Chat = Friend, Ids = { sent.Id, "m1", "SBUNKNOWN" } } });
        await device.SendMessageAsync("m2", Friend, "sync"); // acknowledged once the read was taken
        await device.NextAsync(Frame.Receipt);

        var onPhone = _network.ListMessages(Tenant, Friend, 0, 10).Messages;
        Assert.Equal(MessageStatus.Read, onPhone.Single(m => m.Id == sent.Id).Status);
        Assert.Equal(MessageStatus.Delivered, onPhone.Single(m => m.Id == "m1").Status); // the friend read nothing
    }

    [Fact]
    public async Task A_phone_sends_any_kind_of_content_and_the_device_gets_its_kind_and_summary()
    {
        await using var device = await ConnectedAsync();
        var picture = new Content
        {
            Image = new MediaContent { Data = ByteString.CopyFromUtf8("not really a jpeg"), Caption = "look", MimeType = "image/jpeg" },
            ReplyTo = "m0",
        };

        var sent = _network.SendFromPhone(Tenant, Friend, Owner, picture);
        var inbound = (await device.NextAsync(Frame.Inbound)).Inbound;

        Assert.Equal((Kind.Image, "look"), (sent.Kind, sent.Text));
        Assert.Equal((sent.Id, "look", "m0"), (inbound.Id, inbound.Text, inbound.Content.ReplyTo));
        Assert.Equal(("look", 17L, MediaContent.SourceOneofCase.None), (inbound.Content.Image.Caption, inbound.Content.Image.SizeBytes, inbound.Content.Image.SourceCase));
        Assert.Equal(sent.Content, inbound.Content);
        Assert.Equal(SandboxErrorKind.InvalidArgument,
            Assert.Throws<SandboxException>(() => _network.SendFromPhone(Tenant, Friend, Owner, SampleContent.Text(""))).Kind);
    }

    [Fact]
    public async Task A_message_to_a_number_not_on_the_network_is_refused()
    {
        await using var device = await ConnectedAsync();

        await device.SendMessageAsync("m1", "+15557777777");
        var refused = (await device.NextAsync(Frame.Receipt)).Receipt;

        Assert.Equal((ReceiptStatus.Error, ReceiptErrorCodes.NotOnWhatsApp), (refused.Status, refused.ErrorCode));
    }

    [Fact]
    public async Task Logging_out_unlinks_the_device_for_good()
    {
        var (credentials, counter) = await PairAsync();
        await using (var device = await TestDevice.ConnectAsync(_devices, Tenant, Session, credentials, counter))
        {
            await device.NextAsync(Frame.Open);
            await device.SendAsync(new ConnectRequest { Logout = new LogoutRequest() });
            Assert.Equal(CloseCodes.LoggedOut, (await device.NextAsync(Frame.Close)).Close.Code);
        }

        await using var again = await TestDevice.ConnectAsync(_devices, Tenant, Session, credentials, counter);
        Assert.Equal(CloseCodes.LoggedOut, (await again.NextAsync(Frame.Close)).Close.Code);
        Assert.Equal(SandboxErrorKind.FailedPrecondition,
            Assert.Throws<SandboxException>(() => _network.SendFromPhone(Tenant, Friend, Owner, "anyone?")).Kind);
    }

    [Fact]
    public async Task A_network_blip_drops_the_connection_and_the_device_reconnects_as_before()
    {
        var (credentials, counter) = await PairAsync();
        await using (var device = await TestDevice.ConnectAsync(_devices, Tenant, Session, credentials, counter))
        {
            await device.NextAsync(Frame.Open);

            Assert.Equal(1, _network.DisconnectDevices(Tenant, Owner));

            Assert.Equal(CloseCodes.ConnectionClosed, (await device.NextAsync(Frame.Close)).Close.Code);
        }

        // Still linked: the same credentials open a new connection.
        await using var again = await TestDevice.ConnectAsync(_devices, Tenant, Session, credentials, counter);
        Assert.Equal(Owner, (await again.NextAsync(Frame.Open)).Open.PhoneNumber);
    }

    [Fact]
    public async Task An_inbound_message_never_acknowledged_is_handed_over_again_on_the_next_connection_with_the_same_counter()
    {
        var (credentials, counter) = await PairAsync();
        long carried;
        await using (var device = await TestDevice.ConnectAsync(_devices, Tenant, Session, credentials, counter))
        {
            await device.NextAsync(Frame.Open);
            var sent = _network.SendFromPhone(Tenant, Friend, Owner, "do not lose me");
            var first = await device.NextAsync(Frame.Inbound);
            Assert.Equal(sent.Id, first.Inbound.Id);
            carried = first.StateCounter;
            // The device dies before it stores the message: no acknowledgement.
        }

        await using var again = await TestDevice.ConnectAsync(_devices, Tenant, Session, credentials, counter);
        await again.NextAsync(Frame.Open);
        var redelivered = await again.NextAsync(Frame.Inbound);

        Assert.Equal("do not lose me", redelivered.Inbound.Text);
        Assert.False(redelivered.Inbound.Undecryptable); // its stored state never moved past the unacknowledged step
        Assert.Equal(carried, redelivered.StateCounter);
    }

    [Fact]
    public async Task A_receipt_not_acknowledged_by_a_device_that_acknowledges_receipts_comes_again_on_its_next_connection()
    {
        var (credentials, counter) = await PairAsync();
        var hello = new ConnectRequest { Hello = new Hello { Tenant = Tenant, Session = Session, Credentials = credentials, StateCounter = counter, AcknowledgesReceipts = true } };
        await using (var device = new TestDevice(_devices.Connect()))
        {
            await device.SendAsync(hello);
            await device.NextAsync(Frame.Open);
            await device.SendAsync(new ConnectRequest { Send = new OutboundMessage { Id = "r1", To = Friend, Text = "hi", StateCounter = counter + 1 } });
            Assert.Equal(Receipt.Types.Status.ServerAck, (await device.NextAsync(Frame.Receipt)).Receipt.Status);
            var delivered = (await device.NextAsync(Frame.Receipt)).Receipt;
            Assert.Equal(Receipt.Types.Status.Delivered, delivered.Status);
            await device.SendAsync(new ConnectRequest { ReceiptAck = new ReceiptAck { Id = "r1", Status = delivered.Status } });
            // The server acknowledgement is never acknowledged: the device dies first.
        }

        await using var again = new TestDevice(_devices.Connect());
        hello.Hello.StateCounter = counter + 1;
        await again.SendAsync(hello);
        await again.NextAsync(Frame.Open);
        var repeated = (await again.NextAsync(Frame.Receipt)).Receipt;

        Assert.Equal(("r1", Receipt.Types.Status.ServerAck), (repeated.Id, repeated.Status));
        await Task.Delay(100);
        Assert.True(again.IsQuiet); // the acknowledged delivery receipt does not come again
    }

    [Fact]
    public async Task A_send_written_ahead_moves_the_counter_and_a_reused_counter_is_refused_as_stale_state()
    {
        var (credentials, counter) = await PairAsync();
        await using var device = await TestDevice.ConnectAsync(_devices, Tenant, Session, credentials, counter);
        await device.NextAsync(Frame.Open);

        await device.SendAsync(new ConnectRequest { Send = new OutboundMessage { Id = "w1", To = Friend, Text = "one", StateCounter = counter + 1 } });
        var acknowledged = await device.NextAsync(Frame.Receipt);
        await device.SendAsync(new ConnectRequest { Send = new OutboundMessage { Id = "w2", To = Friend, Text = "two", StateCounter = counter + 1 } });
        Receipt stale;
        do
        {
            stale = (await device.NextAsync(Frame.Receipt)).Receipt; // w1's delivery receipt may come first
        }
        while (stale.Id != "w2");

        Assert.Equal((Receipt.Types.Status.ServerAck, 0L), (acknowledged.Receipt.Status, acknowledged.StateCounter)); // nothing left to store
        Assert.Equal(ReceiptErrorCodes.StaleState, stale.ErrorCode);
    }

    [Fact]
    public async Task A_device_connecting_again_from_a_second_connection_counts_one_replacement()
    {
        var (credentials, counter) = await PairAsync();
        await using var first = await TestDevice.ConnectAsync(_devices, Tenant, Session, credentials, counter);
        await first.NextAsync(Frame.Open);

        await using var second = await TestDevice.ConnectAsync(_devices, Tenant, Session, credentials, counter);
        await second.NextAsync(Frame.Open);
        Assert.Equal(CloseCodes.Replaced, (await first.NextAsync(Frame.Close)).Close.Code);

        var device = Assert.Single(await ListDevicesAsync(_network, Tenant));
        Assert.Equal((Session, Owner, credentials.DeviceId), (device.Session, device.PhoneNumber, device.DeviceId));
        Assert.Equal((2, 1, true), (device.OpenedCount, device.ReplacedCount, device.Connected));
    }

    [Fact]
    public async Task Stops_and_blips_count_as_openings_but_never_as_replacements()
    {
        var (credentials, counter) = await PairAsync();
        // Pairing links the device without opening a connection for it.
        Assert.Equal((0, 0, false), Counts(Assert.Single(await ListDevicesAsync(_network, Tenant))));

        await using (var device = await TestDevice.ConnectAsync(_devices, Tenant, Session, credentials, counter))
        {
            await device.NextAsync(Frame.Open);
            Assert.Equal((1, 0, true), Counts(Assert.Single(await ListDevicesAsync(_network, Tenant))));
            _network.DisconnectDevices(Tenant, Owner);
            await device.NextAsync(Frame.Close);
        }
        Assert.Equal((1, 0, false), Counts(Assert.Single(await ListDevicesAsync(_network, Tenant))));

        await using (var device = await TestDevice.ConnectAsync(_devices, Tenant, Session, credentials, counter))
        {
            await device.NextAsync(Frame.Open);
        }
        // Over a wire the stop reaches the network a moment after the device let go.
        await Poll.UntilAsync(async () => !Assert.Single(await ListDevicesAsync(_network, Tenant)).Connected);
        Assert.Equal((2, 0, false), Counts(Assert.Single(await ListDevicesAsync(_network, Tenant))));
    }

    [Fact]
    public async Task Device_statistics_list_only_the_tenant_asked_for()
    {
        await PairAsync();

        Assert.Single(await ListDevicesAsync(_network, Tenant));
        Assert.Single(await ListDevicesAsync(_network, ""));
        Assert.Empty(await ListDevicesAsync(_network, "tenants/tn2"));
    }

    private static (int Opened, int Replaced, bool Connected) Counts(DeviceStats device) =>
        (device.OpenedCount, device.ReplacedCount, device.Connected);

    private async Task<(DeviceCredentials Credentials, long Counter)> PairAsync()
    {
        await using var device = await TestDevice.ConnectAsync(_devices, Tenant, Session);
        var qr = (await device.NextAsync(Frame.Qr)).Qr;
        Assert.Equal(Session, _network.Scan(Tenant, qr.Code, Owner));
        var paired = await device.NextAsync(Frame.Paired);
        var close = (await device.NextAsync(Frame.Close)).Close;
        Assert.Equal(CloseCodes.RestartRequired, close.Code);
        Assert.True(device.IsClosed);
        return (paired.Paired.Credentials, paired.StateCounter);
    }

    private async Task<TestDevice> ConnectedAsync()
    {
        var (credentials, counter) = await PairAsync();
        var device = await TestDevice.ConnectAsync(_devices, Tenant, Session, credentials, counter);
        await device.NextAsync(Frame.Open);
        return device;
    }
}
