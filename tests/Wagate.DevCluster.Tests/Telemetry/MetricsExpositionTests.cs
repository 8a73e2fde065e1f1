using Wagate.DevCluster.Fleet;
using Wagate.Testing;
using Xunit;

namespace Wagate.DevCluster.Tests.Telemetry;

/// <summary>Every host a cluster runs (gateway, worker, sandbox network) serves /healthz and a
/// /metrics that Prometheus' linter finds nothing to warn about, after real traffic: a scraper
/// pointed at any of them gets the same clean exposition.</summary>
[Collection(FailoverTestsInSequence.Name)]
public sealed class MetricsExpositionTests : IAsyncLifetime
{
    private readonly TempDirectory _directory = new();
    private LocalCluster? _cluster;

    public Task InitializeAsync() => Task.CompletedTask;

    [Fact]
    public async Task Promtool_finds_nothing_to_warn_about_on_any_host()
    {
        var options = await TestClusters.OptionsAsync(_directory.Path, workers: 1);
        _cluster = await LocalCluster.StartAsync(options, TestClusters.Build);
        using (var fleet = await SandboxFleet.CreateAsync(_cluster.Gateways[0].GrpcAddress, options.Postgres, _cluster.Sandbox.Address))
        {
            await fleet.LinkAsync(1, TimeSpan.FromMinutes(2));
        }
        using var http = new HttpClient();
        var hosts = new Dictionary<string, Uri>
        {
            ["gateway"] = new(_cluster.Gateways[0].RestAddress, "/metrics"),
            ["worker"] = _cluster.Workers[0].MetricsAddress,
            ["sandbox"] = _cluster.Sandbox.MetricsAddress,
        };

        var checks = new Dictionary<string, (int, string, string, bool)>();
        foreach (var (host, metrics) in hosts)
        {
            using var health = await http.GetAsync(new Uri(metrics, "/healthz"));
            var exposition = await http.GetStringAsync(metrics);
            var (exitCode, output) = await Promtool.CheckMetricsAsync(exposition);
            // An empty page would pass the lint: each host must show its process' series.
            checks[host] = (exitCode, output.Trim(), health.StatusCode.ToString(), exposition.Contains("# TYPE process_", StringComparison.Ordinal));
        }

        Assert.All(checks, check => Assert.Equal((check.Key, 0, "", "OK", true), (check.Key, check.Value.Item1, check.Value.Item2, check.Value.Item3, check.Value.Item4)));
    }

    public async Task DisposeAsync()
    {
        if (_cluster is not null)
        {
            await _cluster.DisposeAsync();
        }
        _directory.Dispose();
    }
}
