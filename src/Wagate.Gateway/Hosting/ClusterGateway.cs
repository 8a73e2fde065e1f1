using Wagate.Cluster;
using Wagate.Cluster.Membership;
using Wagate.Cluster.Placement;

namespace Wagate.Gateway.Hosting;

/// <summary>Where a cluster gateway finds etcd (WAGATE_ETCD, WAGATE_ETCD_PREFIX) and how long its
/// controller's lease lives (WAGATE_LEASE_TTL_SECONDS).</summary>
public sealed record ClusterOptions(Uri Etcd, string KeyPrefix, TimeSpan LeaseTtl);

/// <summary>A cluster gateway's part in the cluster: the live worker directory it routes with,
/// and its candidate placement controller (one gateway's leads; the others take over when it
/// goes).</summary>
public sealed class ClusterGateway(ICoordinator coordinator, ClusterOptions options, ILogger<ClusterGateway> logger) : IHostedService
{
    private WorkerDirectory? _directory;
    private PlacementController? _controller;

    public WorkerDirectory Directory => _directory ?? throw new InvalidOperationException("The cluster gateway has not started.");

    public bool LeadsPlacement => _controller?.IsLeader ?? false;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        _directory = await WorkerDirectory.StartAsync(coordinator, cancellationToken);
        _controller = PlacementController.Start(coordinator, $"gateway-{Environment.MachineName}-{Environment.ProcessId}", options.LeaseTtl, logger);
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_controller is not null)
        {
            await _controller.DisposeAsync();
        }
        if (_directory is not null)
        {
            await _directory.DisposeAsync();
        }
    }
}
