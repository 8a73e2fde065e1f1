using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Wagate.Cluster;
using Wagate.Cluster.Membership;
using Wagate.Worker.Runtime;

namespace Wagate.Worker.Clustering;

/// <summary>A cluster worker's life in the cluster: registers under a lease, runs the sessions
/// placed on it through an <see cref="OwnershipAgent"/>, reports its load every half lease, and
/// leaves (revoking the lease, so its sessions move at once) when stopped. A worker that loses
/// its lease stops its sessions and the whole process, for its supervisor to restart it: it can
/// no longer know which sessions are still its own.</summary>
public sealed class ClusterMembershipService(
    ICoordinator coordinator,
    WorkerNode worker,
    WorkerRecord record,
    TimeSpan leaseTtl,
    IHostApplicationLifetime lifetime,
    TimeProvider clock,
    ILogger<ClusterMembershipService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await using var registration = await WorkerRegistration.RegisterAsync(coordinator, record, leaseTtl, clock, stoppingToken);
        await using var agent = OwnershipAgent.Start(coordinator, registration, worker, logger);
        logger.LogInformation("{Worker} joined the cluster", record.Name);
        using var beating = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken, registration.Lost);
        using var heartbeat = new PeriodicTimer(leaseTtl / 2, clock);
        try
        {
            while (await heartbeat.WaitForNextTickAsync(beating.Token))
            {
                await registration.ReportAsync(worker.SessionCount, draining: false, beating.Token);
            }
        }
        catch (Exception) when (registration.Lost.IsCancellationRequested && !stoppingToken.IsCancellationRequested)
        {
            logger.LogCritical("{Worker} lost its lease; stopping the process", record.Name);
            lifetime.StopApplication();
        }
        catch (Exception) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping: the agent stops the sessions, then the registration leaves the cluster.
        }
    }
}
