using System.Diagnostics;
using Wagate.Cluster;
using Wagate.DevCluster.Processes;

namespace Wagate.DevCluster;

/// <summary>A whole cluster on one machine, each part its own process on loopback: the sandbox
/// network, workers <c>workers/worker-1..N</c> and gateway replicas <c>gateway-1..M</c>, on the
/// PostgreSQL, etcd and S3 the caller runs. Disposing stops every process it started, and no
/// other. tools/dev-cluster and the cluster tests both start clusters through this class.</summary>
public sealed class LocalCluster : IAsyncDisposable
{
    private readonly EtcdCoordinator _coordinator;
    private readonly Action<string> _report;
    private int _disposed;

    private LocalCluster(LocalClusterOptions options, ProductBuild build, Action<string>? report)
    {
        Options = options;
        Build = build;
        _report = report ?? (_ => { });
        _coordinator = new EtcdCoordinator(new EtcdCoordinatorOptions { Endpoint = options.Etcd, KeyPrefix = options.EtcdPrefix });
        Sandbox = new SandboxProcess(options, build);
        Workers = [.. Enumerable.Range(1, options.Workers)
            .Select(n => new WorkerProcess($"worker-{n}", options, build, Sandbox, _coordinator))];
        Gateways = [.. Enumerable.Range(1, options.Gateways)
            .Select(n => n == 1
                ? new GatewayProcess("gateway-1", options, build, Sandbox, options.HttpPort, options.GrpcPort)
                : new GatewayProcess($"gateway-{n}", options, build, Sandbox))];
    }

    public LocalClusterOptions Options { get; }

    public ProductBuild Build { get; }

    public SandboxProcess Sandbox { get; }

    public IReadOnlyList<WorkerProcess> Workers { get; }

    /// <summary>The replicas; the first listens on the ports the options name, if any.</summary>
    public IReadOnlyList<GatewayProcess> Gateways { get; }

    /// <summary>Every process of the cluster, in the order they are stopped.</summary>
    public IEnumerable<ProductProcess> Processes => [.. Gateways, .. Workers, Sandbox];

    /// <summary>Starts the cluster and returns once every process is ready: the sandbox network,
    /// then the first gateway (it migrates the database, which two replicas must not do at once)
    /// alongside the workers, then the other gateways. If any part fails, what was started is
    /// stopped and the failure (with the end of that part's log) is thrown.</summary>
    /// <param name="report">Told of each step, e.g. to print progress.</param>
    public static async Task<LocalCluster> StartAsync(
        LocalClusterOptions options, ProductBuild build, Action<string>? report = null, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(options.Gateways, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.Workers, 1);
        Directory.CreateDirectory(options.LogDirectory);
        var cluster = new LocalCluster(options, build, report);
        try
        {
            await cluster.StartAllAsync(cancellationToken);
            return cluster;
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }
    }

    /// <summary>Stops every running process: gateways first (nothing routes to workers any more),
    /// then workers (each leaves the cluster, revoking its lease), then the sandbox network.</summary>
    public async Task StopAsync()
    {
        await Task.WhenAll(Gateways.Select(StopOneAsync));
        await Task.WhenAll(Workers.Select(StopOneAsync));
        await StopOneAsync(Sandbox);
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }
        try
        {
            await StopAsync();
        }
        finally
        {
            foreach (var process in Processes)
            {
                await process.DisposeAsync();
            }
            _coordinator.Dispose();
        }
    }

    private async Task StartAllAsync(CancellationToken cancellationToken)
    {
        await StartOneAsync(Sandbox, cancellationToken);
        await StartTogetherAsync([Gateways[0], .. Workers], cancellationToken);
        await StartTogetherAsync(Gateways.Skip(1), cancellationToken);
    }

    /// <summary>Starts processes side by side; the first failure cancels the others' starts, so a
    /// broken cluster is reported without waiting for every ready timeout.</summary>
    private async Task StartTogetherAsync(IEnumerable<ProductProcess> processes, CancellationToken cancellationToken)
    {
        using var failed = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var starts = processes.Select(async process =>
        {
            try
            {
                await StartOneAsync(process, failed.Token);
            }
            catch
            {
                await failed.CancelAsync();
                throw;
            }
        }).ToList();
        // Faulted wins over cancelled: what is thrown is the failure, not the cancellations it caused.
        await Task.WhenAll(starts);
    }

    private async Task StartOneAsync(ProductProcess process, CancellationToken cancellationToken)
    {
        var started = Stopwatch.StartNew();
        await process.StartAsync(cancellationToken);
        _report($"{process.Name} ready (process {process.ProcessId}, {started.Elapsed.TotalSeconds:0.0} s)");
    }

    private async Task StopOneAsync(ProductProcess process)
    {
        if (process.HasExited)
        {
            return;
        }
        await process.StopAsync(Options.StopGracePeriod);
        _report($"{process.Name} stopped");
    }
}
