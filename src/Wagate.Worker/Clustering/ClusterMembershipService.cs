using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Wagate.Cluster;
using Wagate.Cluster.Membership;
using Wagate.Worker.Runtime;

namespace Wagate.Worker.Clustering;

/// <summary>A cluster worker's life in the cluster: registers under a lease, runs the sessions
/// placed on it through an <see cref="OwnershipAgent"/>, reports its load every quarter lease
/// (the heartbeat gateways check: two missed, and its sessions are no longer shown connected), and
/// leaves (revoking the lease, so its sessions move at once) when stopped.</summary>
/// <remarks>A worker that loses its lease (paused past it, cut off from etcd, etcd restarted
/// slowly) can no longer know which sessions are still its own: its agent stops every session
/// without reconnecting any. Then it joins again as a fresh member with nothing, under a new
/// lease, and takes whatever the placement controller gives it: the cluster keeps its capacity
/// without a supervisor restarting the process.</remarks>
/// <param name="warmUp">Whether the worker warms up its takeover's database paths beside joining
/// (<see cref="WorkerNode.WarmUpAsync"/>): a worker process of a cluster, which may stand by until
/// a dead worker's sessions are handed to it at once. A single node's workers share the process
/// (and EF Core's model) with the gateway and take over from no one, and do not.</param>
public sealed class ClusterMembershipService(
    ICoordinator coordinator,
    WorkerNode worker,
    WorkerRecord record,
    TimeSpan leaseTtl,
    TimeProvider clock,
    ILogger<ClusterMembershipService> logger,
    bool warmUp = false) : BackgroundService
{
    private static readonly ReconnectBackoff JoinBackoff = new(TimeSpan.FromMilliseconds(250), TimeSpan.FromSeconds(5));

    private TimeSpan HeartbeatInterval => leaseTtl / 4;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // Beside joining, not before it (a cluster starting up waits for no one): a standby worker
        // is warm long before it is handed a dead worker's sessions at once.
        var warming = warmUp ? WarmUpAsync(stoppingToken) : Task.CompletedTask;
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                await using var registration = await JoinAsync(stoppingToken);
                await ServeAsync(registration, stoppingToken);
            }
        }
        finally
        {
            await warming;
        }
    }

    private async Task WarmUpAsync(CancellationToken stoppingToken)
    {
        try
        {
            await worker.WarmUpAsync(stoppingToken);
        }
        catch (Exception exception) when (!stoppingToken.IsCancellationRequested)
        {
            // Only slower: the first takeover compiles what the warm-up would have.
            logger.LogWarning("{Worker} could not warm up its database paths ({Problem})", record.Name, exception.Message);
        }
    }

    /// <summary>Registers, retrying while etcd is away or the name is still held by this worker's
    /// previous lease (gone within one TTL).</summary>
    private async Task<WorkerRegistration> JoinAsync(CancellationToken stoppingToken)
    {
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                var registration = await WorkerRegistration.RegisterAsync(coordinator,
                    record with { HeartbeatMillis = (int)HeartbeatInterval.TotalMilliseconds }, leaseTtl, clock, stoppingToken);
                logger.LogInformation("{Worker} joined the cluster", record.Name);
                return registration;
            }
            catch (Exception exception) when (!stoppingToken.IsCancellationRequested)
            {
                logger.LogWarning("{Worker} could not join the cluster yet ({Problem}); retrying", record.Name, exception.Message);
                await Task.Delay(JoinBackoff.Delay(attempt), clock, stoppingToken);
            }
        }
    }

    /// <summary>Runs the placed sessions until the process stops or the lease is lost.</summary>
    private async Task ServeAsync(WorkerRegistration registration, CancellationToken stoppingToken)
    {
        await using var agent = OwnershipAgent.Start(coordinator, registration, worker, logger);
        using var beating = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken, registration.Lost);
        using var heartbeat = new PeriodicTimer(HeartbeatInterval, clock);
        try
        {
            while (await heartbeat.WaitForNextTickAsync(beating.Token))
            {
                try
                {
                    await registration.ReportAsync(worker.SessionCount, draining: false, beating.Token);
                }
                catch (Exception missed) when (!beating.IsCancellationRequested)
                {
                    // One heartbeat missed (etcd restarting): the lease, not the heartbeat, says whether we are still in.
                    logger.LogWarning("{Worker} missed a heartbeat: {Problem}", record.Name, missed.Message);
                }
            }
        }
        catch (Exception) when (beating.IsCancellationRequested)
        {
            if (registration.Lost.IsCancellationRequested && !stoppingToken.IsCancellationRequested)
            {
                logger.LogError("{Worker} lost its lease: its sessions stop, and it joins again with none", record.Name);
            }
        }
    }
}
