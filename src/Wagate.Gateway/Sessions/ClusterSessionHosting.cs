using Wagate.Cluster;
using Wagate.Cluster.Placement;
using Wagate.Contracts.Session.V1;
using Wagate.Core;
using Wagate.Core.Workers;
using Wagate.Gateway.Errors;
using Wagate.Gateway.Hosting;

namespace Wagate.Gateway.Sessions;

/// <summary>Sessions on a cluster, and on a single node, which is a cluster of one process: the
/// gateway declares a session under <see cref="ClusterKeys.Sessions"/> (a restart raises its
/// generation) and reaches it on the worker its placement names, through
/// <see cref="IWorkerConnections"/>. Which worker runs what is decided by the
/// elected placement controller and the workers' ownership agents, not here.</summary>
public sealed class ClusterSessionHosting(ICoordinator coordinator, ClusterGateway cluster, IWorkerConnections workers) : ISessionHosting
{
    private static readonly TimeSpan OwnerRetry = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan StartPatience = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan StartPoll = TimeSpan.FromMilliseconds(20);
    private static readonly TimeSpan WipeLease = TimeSpan.FromSeconds(10);

    public Task StartAsync(SessionKey session, Engine engine, CancellationToken cancellationToken) =>
        coordinator.PutAsync(DeclaredKey(session), new DesiredSession((int)engine, Generation: 1).ToBytes(), cancellationToken: cancellationToken);

    public async Task RestartAsync(SessionKey session, Engine engine, CancellationToken cancellationToken)
    {
        var key = DeclaredKey(session);
        var generation = await coordinator.GetAsync(key, cancellationToken) is { } current ? DesiredSession.FromBytes(current.Value).Generation : 0;
        await coordinator.PutAsync(key, new DesiredSession((int)engine, generation + 1).ToBytes(), cancellationToken: cancellationToken);
    }

    /// <summary>From the watched placement map and worker directory: no store round trip per call.</summary>
    public Task<IWorkerClient?> WorkerOfAsync(SessionKey session, CancellationToken cancellationToken) =>
        Task.FromResult<IWorkerClient?>(
            cluster.Placements.Find(ClusterKeys.Of(ClusterKeys.Placements, session.Name)) is { } name && cluster.Directory.Find(name) is { } record
                ? workers.Connect(record)
                : null);

    /// <remarks>Polls the watched caches and the worker, which are in memory or one call away:
    /// placement and a start take milliseconds, so the wait is short, and bounded by
    /// <see cref="StartPatience"/> when no worker has room.</remarks>
    public async Task<IWorkerClient?> RunningWorkerAsync(SessionKey session, CancellationToken cancellationToken)
    {
        using var patience = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        patience.CancelAfter(StartPatience);
        try
        {
            while (true)
            {
                if (await WorkerOfAsync(session, cancellationToken) is { } worker && await worker.GetSnapshotAsync(session, cancellationToken) is not null)
                {
                    return worker;
                }
                await Task.Delay(StartPoll, patience.Token);
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return null;
        }
    }

    /// <summary>A declared session is placed and owned soon: no worker means between workers. One
    /// that is not declared waits for a restart.</summary>
    public async Task<Grpc.Core.RpcException?> WithoutWorkerAsync(SessionKey session, CancellationToken cancellationToken) =>
        await coordinator.GetAsync(DeclaredKey(session), cancellationToken) is null ? null : NoOwner(session);

    /// <summary>From the watched statuses the owners publish under the fencing comparison: no
    /// worker call, and nothing from a worker that lost the session. A status whose worker has
    /// left the cluster shows the session as starting: it is on its way to another worker.</summary>
    public Task<LiveStatus?> StatusOfAsync(SessionKey session, CancellationToken cancellationToken) =>
        Task.FromResult(cluster.Statuses.Find(ClusterKeys.Status(session)) is { } status ? cluster.LiveStatusOf(status) : null);

    /// <summary>The owner logs a running session out. A session that is not declared runs nowhere:
    /// any worker logs it out under an ownership the gateway holds for it.</summary>
    public async Task<LiveStatus?> LogoutAsync(SessionKey session, CancellationToken cancellationToken)
    {
        if (await coordinator.GetAsync(DeclaredKey(session), cancellationToken) is null)
        {
            if (!await WithUnownedAsync(session, (worker, token) => worker.LogoutStoppedSessionAsync(session, token, cancellationToken), cancellationToken))
            {
                throw NoOwner(session); // its owner is letting it go: retried, it runs nowhere
            }
            return null;
        }
        var owner = await RunningWorkerAsync(session, cancellationToken) ?? throw NoOwner(session);
        return await owner.LogoutSessionAsync(session, cancellationToken) is { } last ? new LiveStatus(owner.Name, last) : throw NoOwner(session);
    }

    /// <summary>The owner stops the session and wipes its state under its token, now if the
    /// placement names it, else when its agent sees the declaration gone; a session that runs
    /// nowhere is wiped under an ownership the gateway holds. Either way the same id created again
    /// asks for a new QR code.</summary>
    public async Task RemoveAsync(SessionKey session, CancellationToken cancellationToken)
    {
        var worker = await WorkerOfAsync(session, cancellationToken);
        if (worker is not null)
        {
            await worker.DeleteSessionAsync(session, cancellationToken);
        }
        await coordinator.DeleteAsync(DeclaredKey(session), cancellationToken);
        if (worker is null)
        {
            // When the owner key is held, its owner is letting go of the deleted session and wipes it itself.
            await WithUnownedAsync(session, (any, token) => any.WipeSessionAsync(session, token, cancellationToken), cancellationToken);
        }
        // The owner deletes the status as it lets go; this covers a session that had no owner.
        await coordinator.DeleteAsync(ClusterKeys.Status(session), cancellationToken);
    }

    /// <summary>Takes the owner key of a session that runs nowhere, under a short lease of this
    /// gateway's (a crash here frees it within <see cref="WipeLease"/>), and has any worker act on
    /// it under its token: fenced like an owner's write, so no older owner's write undoes it.</summary>
    /// <returns>False, with nothing done, when the key is held: an owner is letting go of the session.</returns>
    private async Task<bool> WithUnownedAsync(SessionKey session, Func<IWorkerClient, long, Task> act, CancellationToken cancellationToken)
    {
        await using var lease = await coordinator.GrantLeaseAsync(WipeLease, cancellationToken);
        if (await coordinator.TryCreateAsync(ClusterKeys.Owner(session), "gateway"u8.ToArray(), lease.Id, cancellationToken) is not { } token)
        {
            return false;
        }
        await act(AnyWorker(session), token);
        return true;
    }

    /// <summary>Declares each session the coordinator does not know, keeping the generation of
    /// those it does: on a healthy etcd nothing changes; on a single node, whose coordinator starts
    /// empty, every session that was running runs again.</summary>
    public async Task<int> ResumeAsync(IReadOnlyList<(SessionKey Session, Engine Engine)> running, CancellationToken cancellationToken)
    {
        var declared = 0;
        foreach (var (session, engine) in running)
        {
            if (await coordinator.TryCreateAsync(DeclaredKey(session), new DesiredSession((int)engine, Generation: 1).ToBytes(), leaseId: 0, cancellationToken) is not null)
            {
                declared++;
            }
        }
        return declared;
    }

    private static string DeclaredKey(SessionKey session) => ClusterKeys.Of(ClusterKeys.Sessions, session.Name);

    private IWorkerClient AnyWorker(SessionKey session) =>
        cluster.Directory.Workers is [var record, ..] ? workers.Connect(record) : throw NoOwner(session);

    private static Grpc.Core.RpcException NoOwner(SessionKey session) =>
        ApiErrors.Unavailable(ErrorReason.NoWorker, $"{session.Name} is between workers right now; retry shortly.", OwnerRetry);
}
