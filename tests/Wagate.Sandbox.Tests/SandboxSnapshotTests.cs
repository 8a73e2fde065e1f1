using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Wagate.Contracts.Sandbox.V1;
using Wagate.Sandbox.Persistence;
using Wagate.Testing;
using Xunit;
using Frame = Wagate.Contracts.Sandbox.V1.ConnectResponse.FrameOneofCase;
using Kind = Wagate.Contracts.Sandbox.V1.SandboxMessage.Types.Kind;
using MessageStatus = Wagate.Contracts.Sandbox.V1.SandboxMessage.Types.Status;
using ReceiptStatus = Wagate.Contracts.Sandbox.V1.Receipt.Types.Status;

namespace Wagate.Sandbox.Tests;

/// <summary>A single node saves the network to a file and restores it after a restart: what the
/// phones hold and what waits for devices must come back as it was.</summary>
public sealed class SandboxSnapshotTests
{
    private const string Tenant = "tenants/tn1";
    private const string Session = "tenants/tn1/sessions/s1";
    private const string Owner = "+15550000001";
    private const string Friend = "+15550000002";

    private readonly FakeTimeProvider _clock = new(DateTimeOffset.Parse("2026-01-01T00:00:00Z", System.Globalization.CultureInfo.InvariantCulture));

    [Fact]
    public async Task Messages_keep_their_kind_content_status_and_typing_and_waiting_receipts_their_time_across_a_restart()
    {
        var network = new SandboxNetwork(new SandboxOptions(), _clock);
        network.CreatePhone(Tenant, Owner);
        network.CreatePhone(Tenant, Friend);
        var (credentials, counter) = await PairAsync(network);
        await using (var device = await TestDevice.ConnectAsync(network, Tenant, Session, credentials, counter))
        {
            await device.NextAsync(Frame.Open);
            await device.SendMessageAsync("doc", Friend, SampleContent.Of("document").Content);
            await device.SendAsync(new ConnectRequest { Presence = new ChatPresence { To = Friend, State = ChatPresence.Types.State.Recording } });
            _clock.Advance(TimeSpan.FromSeconds(2));
            await device.SendMessageAsync("note", Friend, SampleContent.Of("voice note").Content);
            counter = (await device.NextAsync(Frame.Receipt)).StateCounter;
            await device.NextAsync(Frame.Receipt);
            counter = (await device.NextAsync(Frame.Receipt)).StateCounter;
            await device.NextAsync(Frame.Receipt);
        }
        var playedAt = _clock.GetUtcNow();
        network.MarkPlayed(Tenant, Friend, ["note"]); // the device is away: the receipts wait
        var before = network.ListMessages(Tenant, Friend, 0, 10).Messages;

        var restored = new SandboxNetwork(new SandboxOptions(), _clock);
        restored.Restore(JsonSerializer.Deserialize(
            JsonSerializer.SerializeToUtf8Bytes(network.Export(), SandboxSnapshotJson.Default.SandboxSnapshot), SandboxSnapshotJson.Default.SandboxSnapshot)!);

        Assert.Equal(before, restored.ListMessages(Tenant, Friend, 0, 10).Messages);
        Assert.Equal([(Kind.Document, MessageStatus.Delivered, null), (Kind.Audio, MessageStatus.Played, (TimeSpan?)TimeSpan.FromSeconds(2))],
            before.Select(m => (m.Kind, m.Status, m.Typing?.ToTimeSpan())));
        await using var back = await TestDevice.ConnectAsync(restored, Tenant, Session, credentials, counter);
        await back.NextAsync(Frame.Open);
        var read = (await back.NextAsync(Frame.Receipt)).Receipt;
        var played = (await back.NextAsync(Frame.Receipt)).Receipt;
        Assert.Equal([("note", ReceiptStatus.Read, playedAt), ("note", ReceiptStatus.Played, playedAt)],
            new[] { read, played }.Select(r => (r.Id, r.Status, r.Time.ToDateTimeOffset())));
    }

    [Fact]
    public void A_file_saved_when_messages_were_text_only_restores_them_as_text()
    {
        const string saved = """
            {"phones":[{"tenant":"tenants/tn1","number":"+15550000002","createTime":"2026-01-01T00:00:00+00:00","online":true,"messageIds":["m1"]}],
             "devices":[],
             "messages":[{"id":"m1","from":"+15550000001","to":"+15550000002","text":"from before","sendTime":"2026-01-01T00:00:00+00:00","status":2,"senderDeviceId":null}]}
            """;
        var network = new SandboxNetwork(new SandboxOptions(), _clock);

        network.Restore(JsonSerializer.Deserialize(saved, SandboxSnapshotJson.Default.SandboxSnapshot)!);

        var message = Assert.Single(network.ListMessages(Tenant, Friend, 0, 10).Messages);
        Assert.Equal((Kind.Text, "from before", SampleContent.Text("from before"), MessageStatus.Delivered),
            (message.Kind, message.Text, message.Content, message.Status));
    }

    [Fact]
    public async Task A_file_that_cannot_be_written_is_saved_once_the_obstacle_is_gone()
    {
        var directory = Directory.CreateTempSubdirectory("wagate-snapshot-");
        try
        {
            var path = Path.Combine(directory.FullName, "sandbox-network.json");
            Directory.CreateDirectory(path); // where the file should be: a save cannot replace it
            var network = new SandboxNetwork(new SandboxOptions(), _clock);
            await using var file = SandboxSnapshotFile.Attach(network, path, NullLogger<SandboxSnapshotFile>.Instance);

            network.CreatePhone(Tenant, Owner);
            // A save was tried and failed: its temporary file is written but cannot take the path.
            await Poll.UntilAsync(() => File.Exists(path + ".tmp"));
            Assert.True(File.Exists(path + ".tmp"), "no save was attempted");
            Directory.Delete(path);
            network.CreatePhone(Tenant, Friend);

            await Poll.UntilAsync(() => File.Exists(path) && SavedNumbers(path).Count == 2);
            Assert.Equal([Owner, Friend], SavedNumbers(path));
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task Stopping_saves_the_last_changes()
    {
        var directory = Directory.CreateTempSubdirectory("wagate-snapshot-");
        try
        {
            var path = Path.Combine(directory.FullName, "sandbox-network.json");
            var network = new SandboxNetwork(new SandboxOptions(), _clock);
            var file = SandboxSnapshotFile.Attach(network, path, NullLogger<SandboxSnapshotFile>.Instance);

            network.CreatePhone(Tenant, Owner);
            await file.DisposeAsync();

            Assert.Equal([Owner], SavedNumbers(path));
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    private static List<string> SavedNumbers(string path) =>
        [.. JsonSerializer.Deserialize(File.ReadAllBytes(path), SandboxSnapshotJson.Default.SandboxSnapshot)!
            .Phones.Select(p => p.Number).Order(StringComparer.Ordinal)];

    private static async Task<(DeviceCredentials Credentials, long Counter)> PairAsync(SandboxNetwork network)
    {
        await using var device = await TestDevice.ConnectAsync(network, Tenant, Session);
        var qr = (await device.NextAsync(Frame.Qr)).Qr;
        network.Scan(Tenant, qr.Code, Owner);
        var paired = await device.NextAsync(Frame.Paired);
        return (paired.Paired.Credentials, paired.StateCounter);
    }
}
