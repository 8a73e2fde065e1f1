using Microsoft.Extensions.Time.Testing;
using Wagate.Contracts.Message.V1;
using Wagate.Contracts.Sandbox.V1;
using Wagate.WhatsApp;
using Xunit;
using Direction = Wagate.Contracts.Sandbox.V1.SandboxMessage.Types.Direction;
using Frame = Wagate.Contracts.Sandbox.V1.ConnectResponse.FrameOneofCase;
using Kind = Wagate.Contracts.Sandbox.V1.SandboxMessage.Types.Kind;
using MessageStatus = Wagate.Contracts.Sandbox.V1.SandboxMessage.Types.Status;
using ReceiptStatus = Wagate.Contracts.Sandbox.V1.Receipt.Types.Status;

namespace Wagate.Sandbox.Tests;

/// <summary>One suite for the phone side of the sandbox network (<see cref="ISandboxPhones"/>),
/// run against every adapter: in process, as a single node drives it, and over SandboxService, as
/// a cluster gateway does. Each test is something a tenant testing its integration relies on,
/// refusals included: the gateway turns their kinds into the status codes the tenant sees.
/// Devices and the clock stay on the network object, which the server side shares.</summary>
public abstract class SandboxPhonesConformanceTests : IAsyncLifetime
{
    private const string Tenant = "tenants/tn1";
    private const string OtherTenant = "tenants/tn2";
    private const string Session = "tenants/tn1/sessions/s1";
    private const string Owner = "+15550000001";
    private const string Friend = "+15550000002";
    private const string Nobody = "+15559999999";

    private readonly FakeTimeProvider _clock = new(DateTimeOffset.Parse("2026-01-01T00:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
    private readonly SandboxNetwork _network;
    private ISandboxPhones _phones = null!;

    protected SandboxPhonesConformanceTests()
    {
        _network = new SandboxNetwork(new SandboxOptions(), _clock);
    }

    /// <summary>The phones of <paramref name="network"/> through the adapter under test.</summary>
    protected abstract Task<ISandboxPhones> PhonesOfAsync(SandboxNetwork network);

    public async Task InitializeAsync() => _phones = await PhonesOfAsync(_network);

    public virtual Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task A_new_phone_is_online_and_named_after_its_number()
    {
        var phone = await _phones.CreatePhoneAsync(Tenant, Owner);

        Assert.Equal("tenants/tn1/sandboxPhones/15550000001", phone.Name);
        Assert.Equal(Owner, phone.PhoneNumber);
        Assert.True(phone.Online);
        Assert.Equal(_clock.GetUtcNow(), phone.CreateTime.ToDateTimeOffset());
    }

    [Fact]
    public async Task A_number_exists_once_per_tenant()
    {
        await _phones.CreatePhoneAsync(Tenant, Owner);

        var again = await Assert.ThrowsAsync<SandboxException>(() => _phones.CreatePhoneAsync(Tenant, Owner));
        var elsewhere = await _phones.CreatePhoneAsync(OtherTenant, Owner);

        Assert.Equal(SandboxErrorKind.AlreadyExists, again.Kind);
        Assert.Contains(Owner, again.Message);
        Assert.Equal("tenants/tn2/sandboxPhones/15550000001", elsewhere.Name);
    }

    [Fact]
    public async Task Scanning_the_showing_QR_code_links_its_session_to_the_phone()
    {
        await _phones.CreatePhoneAsync(Tenant, Owner);
        await using var device = await TestDevice.ConnectAsync(_network, Tenant, Session);
        var qr = (await device.NextAsync(Frame.Qr)).Qr;

        var linked = await _phones.ScanAsync(Tenant, qr.Code, Owner);

        Assert.Equal(Session, linked);
        Assert.Equal(Owner, (await device.NextAsync(Frame.Paired)).Paired.Credentials.PhoneNumber);
    }

    [Fact]
    public async Task A_QR_code_no_longer_showing_or_showing_in_another_tenant_is_not_found()
    {
        await _phones.CreatePhoneAsync(Tenant, Owner);
        await _phones.CreatePhoneAsync(OtherTenant, Owner);
        await using var device = await TestDevice.ConnectAsync(_network, Tenant, Session);
        var expired = (await device.NextAsync(Frame.Qr)).Qr.Code;
        _clock.Advance(TimeSpan.FromSeconds(60));
        var showing = (await device.NextAsync(Frame.Qr)).Qr.Code;

        var old = await Assert.ThrowsAsync<SandboxException>(() => _phones.ScanAsync(Tenant, expired, Owner));
        var foreign = await Assert.ThrowsAsync<SandboxException>(() => _phones.ScanAsync(OtherTenant, showing, Owner));

        Assert.Equal((SandboxErrorKind.NotFound, SandboxErrorKind.NotFound), (old.Kind, foreign.Kind));
        Assert.True(device.IsQuiet); // still showing, not linked
    }

    [Fact]
    public async Task A_pairing_code_links_only_the_number_it_was_requested_for()
    {
        await _phones.CreatePhoneAsync(Tenant, Owner);
        await _phones.CreatePhoneAsync(Tenant, Friend);
        await using var device = await TestDevice.ConnectAsync(_network, Tenant, Session);
        await device.NextAsync(Frame.Qr);
        await device.SendAsync(new ConnectRequest { PairingCodeRequest = new PairingCodeRequest { PhoneNumber = Owner } });
        var code = (await device.NextAsync(Frame.PairingCode)).PairingCode.Code;

        var wrongNumber = await Assert.ThrowsAsync<SandboxException>(() => _phones.ScanAsync(Tenant, code, Friend));
        var linked = await _phones.ScanAsync(Tenant, $"{code[..4]}-{code[4..]}", Owner);

        Assert.Equal(SandboxErrorKind.FailedPrecondition, wrongNumber.Kind);
        Assert.Equal(Session, linked);
    }

    [Fact]
    public async Task A_message_from_a_phone_reaches_the_session_linked_to_its_recipient()
    {
        await using var device = await LinkedDeviceAsync();
        await _phones.CreatePhoneAsync(Tenant, Friend);

        var sent = await _phones.SendFromPhoneAsync(Tenant, Friend, Owner, SampleContent.Text("hello from the sandbox"));

        Assert.Equal((Direction.Outbound, Friend, Owner, MessageStatus.Sent), (sent.Direction, sent.From, sent.To, sent.Status));
        var inbound = (await device.NextAsync(Frame.Inbound)).Inbound;
        Assert.Equal((sent.Id, Friend, "hello from the sandbox"), (inbound.Id, inbound.From, inbound.Text));
    }

    [Fact]
    public async Task A_phones_reply_and_reaction_reach_the_session_naming_the_message_they_refer_to()
    {
        await using var device = await LinkedDeviceAsync();
        await _phones.CreatePhoneAsync(Tenant, Friend);
        var question = await _phones.SendFromPhoneAsync(Tenant, Friend, Owner, SampleContent.Text("where is my order?"));

        var reply = new Content { Text = new TextContent { Body = "any news?" }, ReplyTo = question.Id };
        var reaction = new Content { Reaction = new ReactionContent { MessageId = question.Id, Emoji = "🙏" } };
        await _phones.SendFromPhoneAsync(Tenant, Friend, Owner, reply);
        await _phones.SendFromPhoneAsync(Tenant, Friend, Owner, reaction);

        await device.NextAsync(Frame.Inbound);
        Assert.Equal(reply, (await device.NextAsync(Frame.Inbound)).Inbound.Content);
        Assert.Equal(reaction, (await device.NextAsync(Frame.Inbound)).Inbound.Content);
    }

    [Fact]
    public async Task Sending_to_a_number_no_session_is_linked_to_fails_its_precondition()
    {
        await _phones.CreatePhoneAsync(Tenant, Friend);

        var refused = await Assert.ThrowsAsync<SandboxException>(() => _phones.SendFromPhoneAsync(Tenant, Friend, Owner, SampleContent.Text("anyone?")));

        Assert.Equal(SandboxErrorKind.FailedPrecondition, refused.Kind);
        Assert.Contains(Owner, refused.Message);
    }

    [Fact]
    public async Task A_phones_messages_are_listed_oldest_first_a_page_at_a_time()
    {
        await using var device = await LinkedDeviceAsync();
        await _phones.CreatePhoneAsync(Tenant, Friend);
        foreach (var text in new[] { "one", "two", "three" })
        {
            await _phones.SendFromPhoneAsync(Tenant, Friend, Owner, SampleContent.Text(text));
        }

        var first = await _phones.ListMessagesAsync(Tenant, Friend, offset: 0, size: 2);
        var last = await _phones.ListMessagesAsync(Tenant, Friend, first.NextOffset ?? -1, size: 2);

        Assert.Equal(["one", "two"], first.Messages.Select(m => m.Text));
        Assert.Equal(2, first.NextOffset);
        Assert.Equal(["three"], last.Messages.Select(m => m.Text));
        Assert.Null(last.NextOffset);
        Assert.Empty((await _phones.ListMessagesAsync(Tenant, Owner, 0, 10)).Messages);
    }

    [Fact]
    public async Task Marking_messages_read_sends_read_receipts_and_counts_only_unread_ones()
    {
        await using var device = await LinkedDeviceAsync();
        await _phones.CreatePhoneAsync(Tenant, Friend);
        await device.SendMessageAsync("m1", Friend);
        await device.SendMessageAsync("m2", Friend);
        for (var receipts = 0; receipts < 4; receipts++)
        {
            await device.NextAsync(Frame.Receipt); // acknowledged and delivered, each
        }

        var chosen = await _phones.MarkReadAsync(Tenant, Friend, ["m2"]);
        var read = (await device.NextAsync(Frame.Receipt)).Receipt;
        var rest = await _phones.MarkReadAsync(Tenant, Friend, []);
        var again = await _phones.MarkReadAsync(Tenant, Friend, []);

        Assert.Equal(1, chosen);
        Assert.Equal(("m2", ReceiptStatus.Read), (read.Id, read.Status));
        Assert.Equal((1, 0), (rest, again));
        Assert.All((await _phones.ListMessagesAsync(Tenant, Friend, 0, 10)).Messages, m => Assert.Equal(MessageStatus.Read, m.Status));
    }

    [Fact]
    public async Task Playing_sends_read_then_played_receipts_for_voice_notes_and_videos_only()
    {
        await using var device = await LinkedDeviceAsync();
        await _phones.CreatePhoneAsync(Tenant, Friend);
        await device.SendMessageAsync("note", Friend, SampleContent.Of("voice note").Content);
        await device.SendMessageAsync("photo", Friend, SampleContent.Of("image").Content);
        await device.SendMessageAsync("clip", Friend, SampleContent.Of("video").Content);
        for (var receipts = 0; receipts < 6; receipts++)
        {
            await device.NextAsync(Frame.Receipt); // acknowledged and delivered, each
        }

        var chosen = await _phones.MarkPlayedAsync(Tenant, Friend, ["note", "photo"]);
        var noteRead = (await device.NextAsync(Frame.Receipt)).Receipt;
        var notePlayed = (await device.NextAsync(Frame.Receipt)).Receipt;
        var rest = await _phones.MarkPlayedAsync(Tenant, Friend, []);
        var clipRead = (await device.NextAsync(Frame.Receipt)).Receipt;
        var clipPlayed = (await device.NextAsync(Frame.Receipt)).Receipt;
        var again = await _phones.MarkPlayedAsync(Tenant, Friend, []);

        Assert.Equal((1, 1, 0), (chosen, rest, again));
        Assert.Equal([("note", ReceiptStatus.Read), ("note", ReceiptStatus.Played), ("clip", ReceiptStatus.Read), ("clip", ReceiptStatus.Played)],
            new[] { noteRead, notePlayed, clipRead, clipPlayed }.Select(r => (r.Id, r.Status)));
        var listed = (await _phones.ListMessagesAsync(Tenant, Friend, 0, 10)).Messages;
        Assert.Equal([("note", Kind.Audio, MessageStatus.Played), ("photo", Kind.Image, MessageStatus.Delivered), ("clip", Kind.Video, MessageStatus.Played)],
            listed.Select(m => (m.Id, m.Kind, m.Status)));
    }

    [Fact]
    public async Task A_phones_messages_are_listed_with_their_kind_summary_and_content()
    {
        await using var device = await LinkedDeviceAsync();
        await _phones.CreatePhoneAsync(Tenant, Friend);
        var (document, _, _, _) = SampleContent.Of("document");
        var (poll, _, _, _) = SampleContent.Of("poll");
        await device.SendMessageAsync("doc", Friend, document);
        await device.SendMessageAsync("poll", Friend, poll);
        var text = await _phones.SendFromPhoneAsync(Tenant, Friend, Owner, SampleContent.Text("got it"));

        var listed = (await _phones.ListMessagesAsync(Tenant, Friend, 0, 10)).Messages;

        Assert.Equal([(Kind.Document, "invoice.pdf"), (Kind.Poll, "Lunch?"), (Kind.Text, "got it")], listed.Select(m => (m.Kind, m.Text)));
        Assert.Equal([SampleContent.AsRecorded(document), poll, SampleContent.Text("got it")], listed.Select(m => m.Content));
        Assert.Equal((Kind.Text, SampleContent.Text("got it")), (text.Kind, text.Content));
    }

    [Fact]
    public async Task Messages_to_an_offline_phone_are_delivered_when_it_comes_back_online()
    {
        await using var device = await LinkedDeviceAsync();
        await _phones.CreatePhoneAsync(Tenant, Friend);

        var offline = await _phones.SetOnlineAsync(Tenant, Friend, online: false);
        await device.SendMessageAsync("m1", Friend);
        Assert.Equal(ReceiptStatus.ServerAck, (await device.NextAsync(Frame.Receipt)).Receipt.Status);
        var waiting = (await _phones.ListMessagesAsync(Tenant, Friend, 0, 10)).Messages.Single();
        var online = await _phones.SetOnlineAsync(Tenant, Friend, online: true);

        Assert.False(offline.Online);
        Assert.True(online.Online);
        Assert.Equal(MessageStatus.Sent, waiting.Status);
        Assert.Equal(ReceiptStatus.Delivered, (await device.NextAsync(Frame.Receipt)).Receipt.Status);
    }

    [Fact]
    public async Task Disconnecting_a_phones_devices_drops_their_connections_with_428_and_counts_them()
    {
        await using var device = await LinkedDeviceAsync();
        await _phones.CreatePhoneAsync(Tenant, Friend);

        var dropped = await _phones.DisconnectDevicesAsync(Tenant, Owner);
        var none = await _phones.DisconnectDevicesAsync(Tenant, Friend);

        Assert.Equal((1, 0), (dropped, none));
        Assert.Equal(CloseCodes.ConnectionClosed, (await device.NextAsync(Frame.Close)).Close.Code);
        Assert.False(Assert.Single(_network.ListDevices(Tenant)).Connected);
    }

    [Fact]
    public async Task Every_operation_on_a_phone_that_does_not_exist_is_not_found()
    {
        await _phones.CreatePhoneAsync(OtherTenant, Nobody); // the same number, another tenant's
        Func<Task>[] operations =
        [
            () => _phones.ScanAsync(Tenant, "2@whatever,sandbox,1", Nobody),
            () => _phones.SendFromPhoneAsync(Tenant, Nobody, Owner, SampleContent.Text("hi")),
            () => _phones.ListMessagesAsync(Tenant, Nobody, 0, 10),
            () => _phones.MarkReadAsync(Tenant, Nobody, []),
            () => _phones.MarkPlayedAsync(Tenant, Nobody, []),
            () => _phones.DisconnectDevicesAsync(Tenant, Nobody),
            () => _phones.SetOnlineAsync(Tenant, Nobody, online: false),
        ];

        foreach (var operation in operations)
        {
            var refused = await Assert.ThrowsAsync<SandboxException>(operation);
            Assert.Equal(SandboxErrorKind.NotFound, refused.Kind);
            Assert.Contains(Nobody, refused.Message);
        }
    }

    /// <summary>A device of <see cref="Session"/> linked to <see cref="Owner"/> through the
    /// adapter, connected with its credentials.</summary>
    private async Task<TestDevice> LinkedDeviceAsync()
    {
        await _phones.CreatePhoneAsync(Tenant, Owner);
        DeviceCredentials credentials;
        long counter;
        await using (var linking = await TestDevice.ConnectAsync(_network, Tenant, Session))
        {
            var qr = (await linking.NextAsync(Frame.Qr)).Qr;
            await _phones.ScanAsync(Tenant, qr.Code, Owner);
            var paired = await linking.NextAsync(Frame.Paired);
            (credentials, counter) = (paired.Paired.Credentials, paired.StateCounter);
        }
        var device = await TestDevice.ConnectAsync(_network, Tenant, Session, credentials, counter);
        await device.NextAsync(Frame.Open);
        return device;
    }
}
