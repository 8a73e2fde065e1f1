using System.Text;
using Wagate.Cluster;
using Wagate.Cluster.Membership;
using Wagate.Cluster.Placement;
using Wagate.Cluster.Watching;
using Wagate.Contracts.Session.V1;
using Wagate.Core;
using Wagate.Gateway.Sessions;
using Wagate.Gateway.Telemetry;
using Wagate.Sandbox.Hosting;

namespace Wagate.Gateway.Hosting;

/// <summary>Where a cluster gateway finds etcd (WAGATE_ETCD, WAGATE_ETCD_PREFIX) and how long its
/// controller's lease lives (WAGATE_LEASE_TTL_SECONDS).</summary>
public sealed record ClusterOptions(Uri Etcd, string KeyPrefix, TimeSpan LeaseTtl)
{
    /// <summary>The sandbox network process (WAGATE_SANDBOX_ADDRESS), whose phones SandboxService
    /// drives: the one the workers reach, hence the same default.</summary>
    public Uri SandboxAddress { get; init; } = SandboxHost.DefaultAddress;
}

/// <summary>How long the placement controller's lease lives: how soon another gateway takes
/// placement over when the leading one dies.</summary>
public sealed record PlacementLease(TimeSpan Ttl);

/// <summary>A gateway's part in the cluster (on a single node, a cluster of one process): what it
/// routes with, the live workers and the placement map, each a cache fed by a watch; and its
/// candidate placement controller (one gateway's leads; the others take over when it goes). Its
/// statuses feed the sessions gauge of <paramref name="metrics"/>.</summary>
public sealed class ClusterGateway(ICoordinator coordinator, PlacementLease lease, GatewayMetrics metrics, ILogger<ClusterGateway> logger) : IHostedService
{
    private WorkerDirectory? _directory;
    private PrefixCache<string>? _placements;
    private PrefixCache<SessionStatusRecord>? _statuses;
    private PlacementController? _controller;

    public WorkerDirectory Directory => _directory ?? throw NotStarted();

    /// <summary>Placement key to worker name.</summary>
    public PrefixCache<string> Placements => _placements ?? throw NotStarted();

    /// <summary>Status key to the status its owner last published.</summary>
    public PrefixCache<SessionStatusRecord> Statuses => _statuses ?? throw NotStarted();

    public bool LeadsPlacement => _controller?.IsLeader ?? false;

    /// <summary>A watched status as the cluster stands: one whose worker has left the cluster, or
    /// went silent (two heartbeats missed: dead or frozen, its lease not run out yet), shows the
    /// session as starting, with no worker, since it is on its way to another; a terminal one
    /// stays as it is, since it waits for a restart wherever it ran.</summary>
    public LiveStatus LiveStatusOf(SessionStatusRecord status)
    {
        ArgumentNullException.ThrowIfNull(status);
        var snapshot = status.ToSnapshot();
        var gone = Directory.Find(status.Worker) is null || Directory.IsSilent(status.Worker);
        return gone && !snapshot.IsTerminal
            ? new LiveStatus("", snapshot with { State = Session.Types.State.Starting })
            : new LiveStatus(status.Worker, snapshot);
    }

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        _directory = await WorkerDirectory.StartAsync(coordinator, cancellationToken);
        _placements = await PrefixCache.StartAsync(coordinator, ClusterKeys.Placements, item => Encoding.UTF8.GetString(item.Value), cancellationToken);
        _statuses = await PrefixCache.StartAsync(coordinator, ClusterKeys.Statuses, item => SessionStatusRecord.FromBytes(item.Value), cancellationToken);
        _controller = PlacementController.Start(coordinator, $"gateway-{Environment.MachineName}-{Environment.ProcessId}", lease.Ttl, logger);
        metrics.Watch(this);
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        metrics.Forget(this);
        if (_controller is not null)
        {
            await _controller.DisposeAsync();
        }
        if (_statuses is not null)
        {
            await _statuses.DisposeAsync();
        }
        if (_placements is not null)
        {
            await _placements.DisposeAsync();
        }
        if (_directory is not null)
        {
            await _directory.DisposeAsync();
        }
    }

    private static InvalidOperationException NotStarted() => new("The cluster gateway has not started.");
}
