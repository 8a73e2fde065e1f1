using System.Diagnostics.Metrics;
using System.Security.Cryptography;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Microsoft.Extensions.Logging.Abstractions;
using Wagate.Cluster;
using Wagate.Contracts.Message.V1;
using Wagate.Core;
using Wagate.Data;
using Wagate.Data.Messages;
using Wagate.Engines.Sandbox;
using Wagate.Sandbox;
using Wagate.Storage;
using Wagate.Testing;
using Wagate.Worker.Messaging;
using Wagate.Worker.Runtime;
using Wagate.Worker.State;
using Wagate.Worker.Telemetry;
using Xunit;

namespace Wagate.Worker.Tests;

/// <summary>What a worker measures, read from its own meter factory (so other tests in this
/// process add nothing): the messages pacing holds back are its outbox depth, the sessions it
/// runs its session count, and each state its ledger records counts once, the send timed once.</summary>
public sealed class WorkerMetricsTests : IAsyncLifetime
{
    private const string Tenant = "tenants/tn1";
    private const string Owner = "+15556200000";
    private const string Friend = "+15556200001";
    private const string WorkerName = "workers/measured";
    private static readonly SessionKey Session = new("tn1", "measured");

    private readonly TempDirectory _directory = new();
    private readonly SandboxNetwork _network = new(new SandboxOptions(), TimeProvider.System);
    private DatabaseOptions _database = null!;
    private readonly ServiceProvider _services = new ServiceCollection().AddMetrics().BuildServiceProvider();
    private readonly MetricCollector<long> _messages;
    private readonly MetricCollector<double> _sends;
    private readonly MetricCollector<long> _depth;
    private readonly MetricCollector<long> _sessions;
    private WorkerNode _worker = null!;
    private DatabaseSessionStateStore _store = null!;

    public WorkerMetricsTests()
    {
        _network.CreatePhone(Tenant, Owner);
        _network.CreatePhone(Tenant, Friend);
        var meters = _services.GetRequiredService<IMeterFactory>();
        _messages = new MetricCollector<long>(meters, "Wagate", "wagate.messages");
        _sends = new MetricCollector<double>(meters, "Wagate", "wagate.message.send");
        _depth = new MetricCollector<long>(meters, "Wagate", "wagate.outbox.depth");
        _sessions = new MetricCollector<long>(meters, "Wagate", "wagate.worker.sessions");
    }

    public async Task InitializeAsync()
    {
        _database = await SessionDatabase.CreateSqliteAsync(_directory.Path, Session);
        var blobs = new LocalDirectoryBlobStore(_directory.Path);
        var cipher = new TenantStateCipher(RandomNumberGenerator.GetBytes(32));
        // An hour between two messages: the first goes at once, the others wait in the outbox.
        var pacing = new SendPacing(TimeSpan.FromHours(1), TimeSpan.Zero);
        _worker = new WorkerNode(WorkerName, 10, [new SandboxEngine(_network)],
            _store = SessionDatabase.SqliteStateStore(_directory.Path, blobs, cipher), new DiscardedStatus(),
            new WorkerMessaging(new WorkerMessageLedger(new WagateDbContextFactory(_database)), new MediaStore(blobs, RandomNumberGenerator.GetBytes(32)), pacing),
            ReconnectBackoff.Default, TimeProvider.System, NullLoggerFactory.Instance,
            new WorkerMetrics(_services.GetRequiredService<IMeterFactory>()));
        await SandboxLinking.LinkAsync(_worker, _network, Session, Owner);
    }

    [Fact]
    public async Task Messages_pacing_holds_back_are_the_outbox_depth_and_the_one_sent_counts_each_state_once()
    {
        for (var i = 0; i < 3; i++)
        {
            await AcceptAsync($"Message {i}");
        }

        await _worker.DispatchMessagesAsync(Session);

        // The first message is SENT, then DELIVERED (the friend is online); each counts once.
        await Poll.UntilAsync(() => _messages.GetMeasurementSnapshot().Count == 2);
        Assert.Equal([("outbound", "sent"), ("outbound", "delivered")],
            _messages.GetMeasurementSnapshot().Select(m => ((string)m.Tags["direction"]!, (string)m.Tags["state"]!)));
        Assert.All(_messages.GetMeasurementSnapshot(), m => Assert.Equal((1L, false), (m.Value, m.Tags.ContainsKey("reason"))));
        var send = Assert.Single(_sends.GetMeasurementSnapshot());
        Assert.InRange(send.Value, 0, 60);
        Assert.Equal((2L, WorkerName), Observed(_depth));
        Assert.Equal((1L, WorkerName), Observed(_sessions));
    }

    [Fact]
    public async Task A_session_that_stops_leaves_the_worker_s_gauges()
    {
        await AcceptAsync("Sent at once");
        await AcceptAsync("Held back");
        await _worker.DispatchMessagesAsync(Session);
        await Poll.UntilAsync(() => _sends.GetMeasurementSnapshot().Count == 1);

        await _worker.StopSessionAsync(Session);

        Assert.Equal((0L, WorkerName), Observed(_sessions));
        Assert.Equal((0L, WorkerName), Observed(_depth));
    }

    /// <summary>The gauge's one reading now: this worker's value and the worker it names.</summary>
    private static (long Value, string Worker) Observed(MetricCollector<long> gauge)
    {
        gauge.Clear();
        gauge.RecordObservableInstruments();
        var reading = Assert.Single(gauge.GetMeasurementSnapshot());
        return (reading.Value, (string)reading.Tags["worker"]!);
    }

    private async Task AcceptAsync(string text)
    {
        await using var db = DataServiceCollectionExtensions.CreateContext(_database);
        await new GatewayMessageStore(db).AcceptAsync(Session.TenantId, Session.SessionId, null, Friend,
            new Content { Text = new TextContent { Body = text } }, DateTime.UtcNow);
    }

    public async Task DisposeAsync()
    {
        await _worker.DisposeAsync();
        await _store.DisposeAsync();
        _messages.Dispose();
        _sends.Dispose();
        _depth.Dispose();
        _sessions.Dispose();
        await _services.DisposeAsync();
        _directory.Dispose();
    }
}
