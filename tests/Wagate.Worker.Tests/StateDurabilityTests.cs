using System.Diagnostics.Metrics;
using System.Security.Cryptography;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Microsoft.Extensions.Logging.Abstractions;
using Wagate.Cluster;
using Wagate.Contracts.Sandbox.V1;
using Wagate.Core;
using Wagate.Data;
using Wagate.Data.Sessions;
using Wagate.Engines.Sandbox;
using Wagate.Sandbox;
using Wagate.Storage;
using Wagate.Testing;
using Wagate.Worker.Runtime;
using Wagate.Worker.State;
using Wagate.Worker.Telemetry;
using Xunit;
using SessionStateEnum = Wagate.Contracts.Session.V1.Session.Types.State;

namespace Wagate.Worker.Tests;

/// <summary>State changes are durable before the network hears of them: when the store cannot
/// write, an inbound message is never acknowledged (its sender never sees it delivered) and the
/// session stops rather than go on with unsaved state. A brief outage costs nothing: the write is
/// tried again, and the message is acknowledged once it is stored; each try is counted by how it
/// ended.</summary>
public sealed class StateDurabilityTests : IAsyncLifetime
{
    private const string Tenant = "tenants/tn1";
    private const string Owner = "+15556000000";
    private const string Friend = "+15556000001";
    private static readonly SessionKey Session = new("tn1", "durable");

    private readonly TempDirectory _directory = new();
    private readonly SandboxNetwork _network = new(new SandboxOptions(), TimeProvider.System);
    private readonly FaultyStateDatabase _faults = new();
    private readonly WorkerNode _worker;
    private readonly DatabaseSessionStateStore _store;
    private readonly ServiceProvider _services = new ServiceCollection().AddMetrics().BuildServiceProvider();
    private readonly MetricCollector<long> _writes;
    private readonly MetricCollector<double> _writeSeconds;

    public StateDurabilityTests()
    {
        _network.CreatePhone(Tenant, Owner);
        _network.CreatePhone(Tenant, Friend);
        _store = new DatabaseSessionStateStore(new SessionStateLog(new WagateDbContextFactory(DatabaseOptions.SqliteIn(_directory.Path), _faults)),
            new LocalDirectoryBlobStore(_directory.Path), new TenantStateCipher(RandomNumberGenerator.GetBytes(32)), NullLogger<DatabaseSessionStateStore>.Instance);
        var meters = _services.GetRequiredService<IMeterFactory>();
        _writes = new MetricCollector<long>(meters, "Wagate", "wagate.state.writes");
        _writeSeconds = new MetricCollector<double>(meters, "Wagate", "wagate.state.write");
        _worker = new WorkerNode("workers/durable", 10, [new SandboxEngine(_network)], _store, new DiscardedStatus(),
            SessionDatabase.SqliteMessaging(_directory.Path), ReconnectBackoff.Default, TimeProvider.System, NullLoggerFactory.Instance,
            new WorkerMetrics(meters));
    }

    public Task InitializeAsync() => SessionDatabase.CreateSqliteAsync(_directory.Path, Session);

    [Fact]
    public async Task An_inbound_message_whose_state_cannot_be_stored_is_never_acknowledged()
    {
        await LinkAsync();

        _faults.FailWrites = true;
        var sent = _network.SendFromPhone(Tenant, Friend, Owner, "must not be lost");

        var failed = await Poll.UntilAsync(async () => (await _worker.GetSnapshotAsync(Session)) is { State: SessionStateEnum.Failed } s ? s : null);
        Assert.Equal(SessionProblem.StateWriteFailed, failed.LastError!.Reason);
        var onPhone = _network.ListMessages(Tenant, Friend, 0, 10).Messages.Single(m => m.Id == sent.Id);
        Assert.Equal(SandboxMessage.Types.Status.Sent, onPhone.Status);
    }

    [Fact]
    public async Task A_brief_storage_outage_delays_the_acknowledgement_and_costs_neither_the_message_nor_the_session()
    {
        await LinkAsync();

        _faults.FailNextWrites(2);
        var sent = _network.SendFromPhone(Tenant, Friend, Owner, "stored on the third try");

        await Poll.UntilAsync(() => Task.FromResult(_network.ListMessages(Tenant, Friend, 0, 10).Messages
            .SingleOrDefault(m => m.Id == sent.Id && m.Status == SandboxMessage.Types.Status.Delivered)));
        Assert.Equal(SessionStateEnum.Connected, (await _worker.GetSnapshotAsync(Session))!.State);
        Assert.Equal(0, _faults.WritesLeftToFail);
        // Two tries failed and were retried; every other try (linking wrote state too) succeeded, each timed.
        var outcomes = _writes.GetMeasurementSnapshot().Select(m => (string)m.Tags["outcome"]!).ToList();
        Assert.Equal(["retrying", "retrying"], outcomes.Where(outcome => outcome != "written"));
        Assert.Equal(outcomes, _writeSeconds.GetMeasurementSnapshot().Select(m => (string)m.Tags["outcome"]!));
    }

    [Fact]
    public async Task A_store_out_of_reach_when_the_session_starts_delays_it_and_does_not_fail_it()
    {
        await LinkAsync();
        await _worker.StopSessionAsync(Session);

        _faults.FailReads = true; // as a database out of reach during a takeover
        await _worker.StartSessionAsync(Session, Contracts.Session.V1.Engine.Sandbox, fencingToken: 2);
        await Poll.UntilAsync(() => Task.FromResult(_faults.FailedReads >= 2));
        var waiting = await _worker.GetSnapshotAsync(Session);
        _faults.FailReads = false;

        Assert.Equal(SessionStateEnum.Starting, waiting!.State);
        var connected = await Poll.UntilAsync(async () => (await _worker.GetSnapshotAsync(Session)) is { State: SessionStateEnum.Connected } s ? s : null);
        Assert.Equal(Owner, connected.PhoneNumber); // its stored credentials: no new QR code
    }

    private Task LinkAsync() => SandboxLinking.LinkAsync(_worker, _network, Session, Owner);

    public async Task DisposeAsync()
    {
        await _worker.DisposeAsync();
        await _store.DisposeAsync();
        _writes.Dispose();
        _writeSeconds.Dispose();
        await _services.DisposeAsync();
        _directory.Dispose();
    }
}
