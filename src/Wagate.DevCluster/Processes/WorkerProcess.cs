using System.Globalization;
using Wagate.Cluster;
using Wagate.Cluster.Membership;
using Wagate.Core;

namespace Wagate.DevCluster.Processes;

/// <summary>A worker (src/Wagate.Worker) named <c>workers/{name}</c>: runs the sessions placed on
/// it, state in the cluster's S3 bucket, the sandbox network as its WhatsApp. Ready when its gRPC
/// health service answers SERVING and its registration in etcd carries this process's id: only
/// then can placement give it sessions.</summary>
public sealed class WorkerProcess : ProductProcess
{
    private readonly LocalClusterOptions _cluster;
    private readonly SandboxProcess _sandbox;
    private readonly ICoordinator _coordinator;

    /// <param name="coordinator">The cluster's etcd, under its prefix, to see the worker register.</param>
    public WorkerProcess(string name, LocalClusterOptions cluster, ProductBuild build, SandboxProcess sandbox, ICoordinator coordinator)
        : base(name, "Wagate.Worker", build, Path.Combine(cluster.Directory, "workers", name),
            Path.Combine(cluster.LogDirectory, name + ".log"), cluster.ReadyTimeout)
    {
        _cluster = cluster;
        _sandbox = sandbox;
        _coordinator = coordinator;
        Port = LoopbackPorts.NextFree();
        HttpPort = LoopbackPorts.NextFree();
    }

    /// <summary>The worker's name in the cluster, e.g. "workers/worker-1" (its registration key
    /// is <c>/wagate/workers/worker-1</c>).</summary>
    public string WorkerName => "workers/" + Name;

    public int Port { get; private set; }

    /// <summary>Where it serves /healthz, /readyz and /metrics (HTTP/1.1).</summary>
    public int HttpPort { get; private set; }

    public Uri MetricsAddress => new($"http://127.0.0.1:{HttpPort}/metrics");

    /// <summary>WorkerService over gRPC (h2c), as published in its registration.</summary>
    public Uri Address => new($"http://127.0.0.1:{Port}");

    public int Capacity => _cluster.WorkerCapacity;

    /// <summary>This worker's registration in etcd, or null when it has none (not started yet, or
    /// its lease ended).</summary>
    public async Task<WorkerRecord?> FindRegistrationAsync(CancellationToken cancellationToken = default) =>
        await _coordinator.GetAsync(ClusterKeys.Worker(WorkerName), cancellationToken) is { } found
            ? WorkerRecord.FromBytes(found.Value)
            : null;

    protected override IReadOnlyDictionary<string, string> Settings() => new Dictionary<string, string>(ProcessSettings.CommonWithBlobs(_cluster))
    {
        ["WAGATE_WORKER_NAME"] = Name,
        ["WAGATE_WORKER_PORT"] = Port.ToString(CultureInfo.InvariantCulture),
        ["WAGATE_WORKER_HTTP_PORT"] = HttpPort.ToString(CultureInfo.InvariantCulture),
        ["WAGATE_WORKER_CAPACITY"] = Capacity.ToString(CultureInfo.InvariantCulture),
        ["WAGATE_SANDBOX_ADDRESS"] = _sandbox.Address.ToString(),
        ["WAGATE_POSTGRES"] = _cluster.Postgres, // messages and events, in the gateways' database
        ["WAGATE_DATA_DIR"] = Directory,
    };

    /// <summary>A worker refuses to register under a name a live lease still holds, so a worker
    /// restarted soon after a kill -9 (or a rerun after a crash) waits for the old lease to end,
    /// up to a few TTLs; etcd restores leases it restarts with and gives them a full TTL again.</summary>
    protected override async Task BeforeStartAsync(CancellationToken cancellationToken)
    {
        var patience = _cluster.LeaseTtl * 3 + TimeSpan.FromSeconds(10);
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (waited.Elapsed < patience && await FindRegistrationAsync(cancellationToken) is not null)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(200), cancellationToken);
        }
    }

    protected override async Task<bool> IsReadyAsync(int processId, CancellationToken cancellationToken) =>
        await GrpcHealth.IsServingAsync(Address, cancellationToken)
        && await FindRegistrationAsync(cancellationToken) is { } registered
        && registered.ProcessId == processId;

    protected override bool TryChooseOtherPorts()
    {
        Port = LoopbackPorts.NextFree();
        HttpPort = LoopbackPorts.NextFree();
        return true;
    }
}
