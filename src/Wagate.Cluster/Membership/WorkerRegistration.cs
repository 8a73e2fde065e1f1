using Wagate.Core;

namespace Wagate.Cluster.Membership;

/// <summary>A worker's membership of the cluster: its record under its own lease, the lease it
/// also binds its session ownership keys to, so that one expiry releases everything it held.
/// Disposing leaves the cluster at once (the lease is revoked).</summary>
public sealed class WorkerRegistration : IAsyncDisposable
{
    private readonly ICoordinator _coordinator;
    private readonly TimeProvider _clock;
    private WorkerRecord _record;

    private WorkerRegistration(ICoordinator coordinator, ILease lease, WorkerRecord record, TimeProvider clock)
    {
        _coordinator = coordinator;
        Lease = lease;
        _record = record;
        _clock = clock;
    }

    public ILease Lease { get; }

    public WorkerRecord Record => _record;

    /// <summary>Cancelled when the lease may have ended: the worker must stop its sessions, since
    /// another worker may already own them.</summary>
    public CancellationToken Lost => Lease.Lost;

    /// <summary>Joins the cluster under <paramref name="record"/>'s name. Refused while another live
    /// worker holds that name, so two processes never answer for one worker.</summary>
    public static async Task<WorkerRegistration> RegisterAsync(
        ICoordinator coordinator, WorkerRecord record, TimeSpan leaseTtl, TimeProvider clock, CancellationToken cancellationToken = default)
    {
        var lease = await coordinator.GrantLeaseAsync(leaseTtl, cancellationToken);
        var stamped = record with { HeartbeatTime = clock.GetUtcNow(), LeaseId = lease.Id };
        if (await coordinator.TryCreateAsync(ClusterKeys.Worker(record.Name), stamped.ToBytes(), lease.Id, cancellationToken) is null)
        {
            await lease.DisposeAsync();
            throw new InvalidOperationException($"{record.Name} is already registered by a live process.");
        }
        return new WorkerRegistration(coordinator, lease, stamped, clock);
    }

    /// <summary>Publishes the worker's load and whether it is draining (the heartbeat operators see).</summary>
    public async Task ReportAsync(int sessionCount, bool draining, CancellationToken cancellationToken = default)
    {
        var next = _record with { SessionCount = sessionCount, Draining = draining, HeartbeatTime = _clock.GetUtcNow() };
        await _coordinator.PutAsync(ClusterKeys.Worker(next.Name), next.ToBytes(), Lease.Id, cancellationToken);
        _record = next;
    }

    public ValueTask DisposeAsync() => Lease.DisposeAsync();
}
