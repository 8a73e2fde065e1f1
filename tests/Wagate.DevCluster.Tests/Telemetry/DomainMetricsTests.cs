using Wagate.Testing;
using Xunit;

namespace Wagate.DevCluster.Tests.Telemetry;

/// <summary>After a scripted scenario (<see cref="MessagingScenario"/>: three messages delivered,
/// one failed, one received and its webhook delivered on the second try), each process's /metrics
/// shows the domain metrics with exactly those values: the worker what its ledger recorded, its
/// sessions and its outbox; the gateway the sessions it sees and the webhook POSTs it made; the
/// single node all of them. Exact values need a process of their own: a /metrics page is a
/// process's (prometheus-net's registry and the meters it reads are process-wide), and in this
/// test process the tests of other classes would add theirs; so each host here is a child
/// process, started from the build as in production.</summary>
[Collection(FailoverTestsInSequence.Name)]
public sealed class DomainMetricsTests : IAsyncLifetime
{
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(2);

    /// <summary>No pacing (its rhythm is not under test) and a quick webhook retry; webhooks may
    /// reach the receiver on loopback.</summary>
    private static readonly Dictionary<string, string> Settings = new()
    {
        ["WAGATE_SEND_MIN_GAP_MS"] = "0",
        ["WAGATE_SEND_JITTER_MS"] = "0",
        ["WAGATE_WEBHOOK_ALLOW_LOOPBACK"] = "1",
        ["WAGATE_WEBHOOK_FIRST_RETRY_MS"] = "200",
    };

    private static readonly string[] WorkerFamilies = ["wagate_messages_total", "wagate_message_send_seconds_count", "wagate_worker_sessions", "wagate_outbox_depth"];
    private static readonly string[] GatewayFamilies = ["wagate_sessions", "wagate_webhook_deliveries_total", "wagate_webhook_delivery_seconds_count"];

    /// <summary>Each metric as the Prometheus type it is (a counter is no gauge).</summary>
    private static readonly string[] WorkerTypes =
    [
        "# TYPE wagate_messages_total counter", "# TYPE wagate_message_send_seconds histogram", "# TYPE wagate_worker_sessions gauge",
        "# TYPE wagate_outbox_depth gauge", "# TYPE wagate_state_writes_total counter", "# TYPE wagate_state_write_seconds histogram",
    ];
    private static readonly string[] GatewayTypes =
    [
        "# TYPE wagate_sessions gauge", "# TYPE wagate_webhook_deliveries_total counter", "# TYPE wagate_webhook_delivery_seconds histogram",
    ];

    private readonly TempDirectory _directory = new();
    private readonly List<IAsyncDisposable> _owned = [];

    public Task InitializeAsync() => Task.CompletedTask;

    [Fact]
    public async Task After_three_messages_delivered_and_one_failed_the_gateway_and_the_worker_show_exactly_that()
    {
        var receiver = Own(WebhookReceiver.Start());
        var options = await TestClusters.OptionsAsync(_directory.Path, workers: 1) with { Gateways = 1, Environment = Settings };
        var cluster = Own(await LocalCluster.StartAsync(options, TestClusters.Build));
        var (gateway, worker) = (new Uri(cluster.Gateways[0].RestAddress, "/metrics"), cluster.Workers[0]);

        var session = await MessagingScenario.RunAsync(cluster.Gateways[0].GrpcAddress, receiver.Url, Patience);

        Assert.Equal(worker.WorkerName, session.Worker);
        await AssertShowsAsync(worker.MetricsAddress, WorkerFamilies, WorkerSide(worker.WorkerName));
        await AssertShowsAsync(gateway, GatewayFamilies, GatewaySide(worker.WorkerName));
        Assert.Equal(2, receiver.Posts);
        await AssertStateWritesAsync(worker.MetricsAddress);
        await AssertLintedAsync(worker.MetricsAddress, WorkerTypes);
        await AssertLintedAsync(gateway, GatewayTypes);
    }

    [Fact]
    public async Task The_single_node_shows_the_metrics_of_its_gateway_and_of_its_workers_together()
    {
        var receiver = Own(WebhookReceiver.Start());
        var node = Own(new SingleNodeProcess(_directory.Path, new Dictionary<string, string>(Settings) { ["WAGATE_WORKERS"] = "2" }));
        await node.StartAsync();
        var metrics = new Uri(node.RestAddress, "/metrics");

        var session = await MessagingScenario.RunAsync(node.GrpcAddress, receiver.Url, Patience);

        // Two workers: the one placement gave the session, and one with nothing to do.
        string[] workers = ["workers/local-1", "workers/local-2"];
        Assert.Contains(session.Worker, workers);
        var expected = WorkerSide(session.Worker, idle: workers.Single(w => w != session.Worker));
        foreach (var (series, value) in GatewaySide(session.Worker))
        {
            expected.Add(series, value);
        }
        await AssertShowsAsync(metrics, [.. WorkerFamilies, .. GatewayFamilies], expected);
        Assert.Equal(2, receiver.Posts);
        await AssertStateWritesAsync(metrics);
        await AssertLintedAsync(metrics, [.. WorkerTypes, .. GatewayTypes]);
    }

    /// <summary>What the scenario leaves on a worker's page: every state the ledger recorded once,
    /// three sends timed, the one session it runs, an empty outbox.</summary>
    private static SortedDictionary<string, double> WorkerSide(string worker, string? idle = null)
    {
        var expected = new SortedDictionary<string, double>(StringComparer.Ordinal)
        {
            ["wagate_messages_total{direction=outbound,state=sent}"] = MessagingScenario.Delivered,
            ["wagate_messages_total{direction=outbound,state=delivered}"] = MessagingScenario.Delivered,
            ["wagate_messages_total{direction=outbound,reason=RECIPIENT_NOT_ON_WHATSAPP,state=failed}"] = 1,
            ["wagate_messages_total{direction=inbound,state=received}"] = 1,
            ["wagate_message_send_seconds_count"] = MessagingScenario.Delivered,
            [$"wagate_worker_sessions{{worker={worker}}}"] = 1,
            [$"wagate_outbox_depth{{worker={worker}}}"] = 0,
        };
        if (idle is not null)
        {
            expected[$"wagate_worker_sessions{{worker={idle}}}"] = 0;
            expected[$"wagate_outbox_depth{{worker={idle}}}"] = 0;
        }
        return expected;
    }

    /// <summary>What it leaves on a gateway's: the session connected on its worker, and the one
    /// webhook delivery's two POSTs, refused and then taken.</summary>
    private static SortedDictionary<string, double> GatewaySide(string worker) => new(StringComparer.Ordinal)
    {
        [$"wagate_sessions{{state=connected,worker={worker}}}"] = 1,
        ["wagate_webhook_deliveries_total{outcome=retrying}"] = 1,
        ["wagate_webhook_deliveries_total{outcome=succeeded}"] = 1,
        ["wagate_webhook_delivery_seconds_count{outcome=retrying}"] = 1,
        ["wagate_webhook_delivery_seconds_count{outcome=succeeded}"] = 1,
    };

    /// <summary>Polls the page until it shows exactly <paramref name="expected"/> of
    /// <paramref name="families"/> (counts arrive as the processes record them), then compares, so
    /// that a page that never gets there fails with what it showed last.</summary>
    private static async Task AssertShowsAsync(Uri metrics, string[] families, SortedDictionary<string, double> expected)
    {
        var shown = new SortedDictionary<string, double>(StringComparer.Ordinal);
        try
        {
            await Poll.UntilAsync(async () => (shown = await Scrape.ReadAsync(metrics, families)).SequenceEqual(expected) ? "shown" : null, Patience);
        }
        catch (TimeoutException)
        {
            // The comparison below says how the last page differs.
        }
        // Line by line, so that a difference reads as one.
        Assert.Equal(Lines(expected), Lines(shown));
    }

    private static string Lines(SortedDictionary<string, double> samples) =>
        string.Join('\n', samples.Select(sample => $"{sample.Key} {sample.Value}"));

    /// <summary>How many state writes a session makes depends on how they were grouped; what must
    /// hold is that they all succeeded, each timed once.</summary>
    private static async Task AssertStateWritesAsync(Uri metrics)
    {
        var writes = await Scrape.ReadAsync(metrics, "wagate_state_writes_total", "wagate_state_write_seconds_count");
        Assert.Equal(["wagate_state_write_seconds_count{outcome=written}", "wagate_state_writes_total{outcome=written}"], writes.Keys);
        Assert.InRange(writes["wagate_state_writes_total{outcome=written}"], 1, double.MaxValue);
        Assert.Equal(writes["wagate_state_writes_total{outcome=written}"], writes["wagate_state_write_seconds_count{outcome=written}"]);
    }

    private static async Task AssertLintedAsync(Uri metrics, string[] types)
    {
        using var http = new HttpClient();
        var exposition = await http.GetStringAsync(metrics);
        var (exitCode, output) = await Promtool.CheckMetricsAsync(exposition);
        Assert.Equal((0, ""), (exitCode, output.Trim()));
        Assert.All(types, type => Assert.Contains(type + "\n", exposition, StringComparison.Ordinal));
    }

    private T Own<T>(T owned) where T : IAsyncDisposable
    {
        _owned.Insert(0, owned);
        return owned;
    }

    public async Task DisposeAsync()
    {
        foreach (var owned in _owned)
        {
            await owned.DisposeAsync();
        }
        _directory.Dispose();
    }
}
