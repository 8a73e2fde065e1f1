using Wagate.Cluster;
using Wagate.Cluster.Placement;
using Wagate.Contracts.Session.V1;
using Wagate.Core;
using Wagate.Core.Workers;
using Wagate.Gateway.Errors;
using Wagate.Gateway.Hosting;

namespace Wagate.Gateway.Sessions;

/// <summary>Sessions on a cluster: the gateway declares a session under
/// <see cref="ClusterKeys.Sessions"/> (a restart raises its generation) and reaches it on the
/// worker its placement names, over WorkerService. Which worker runs what is decided by the
/// elected placement controller and the workers' ownership agents, not here.</summary>
public sealed class ClusterSessionHosting(ICoordinator coordinator, ClusterGateway cluster, IWorkerConnections workers) : ISessionHosting
{
    private static readonly TimeSpan OwnerRetry = TimeSpan.FromSeconds(2);

    public async Task<string> StartAsync(SessionKey session, Engine engine, CancellationToken cancellationToken)
    {
        await coordinator.PutAsync(ClusterKeys.Of(ClusterKeys.Sessions, session.Name), new DesiredSession((int)engine, Generation: 1).ToBytes(), cancellationToken: cancellationToken);
        return "";
    }

    public async Task<string> RestartAsync(SessionKey session, Engine engine, string recordedWorker, CancellationToken cancellationToken)
    {
        var key = ClusterKeys.Of(ClusterKeys.Sessions, session.Name);
        var generation = await coordinator.GetAsync(key, cancellationToken) is { } current ? DesiredSession.FromBytes(current.Value).Generation : 0;
        await coordinator.PutAsync(key, new DesiredSession((int)engine, generation + 1).ToBytes(), cancellationToken: cancellationToken);
        return "";
    }

    /// <summary>From the watched placement map and worker directory: no store round trip per call.</summary>
    public Task<IWorkerClient?> WorkerOfAsync(SessionKey session, string recordedWorker, CancellationToken cancellationToken) =>
        Task.FromResult<IWorkerClient?>(
            cluster.Placements.Find(ClusterKeys.Of(ClusterKeys.Placements, session.Name)) is { } name && cluster.Directory.Find(name) is { } record
                ? workers.Connect(record)
                : null);

    /// <summary>From the watched statuses the owners publish under the fencing comparison: no
    /// worker call, and nothing from a worker that lost the session. A status whose worker has
    /// left the cluster shows the session as starting: it is on its way to another worker.</summary>
    public Task<LiveStatus?> StatusOfAsync(SessionKey session, string recordedWorker, CancellationToken cancellationToken)
    {
        if (cluster.Statuses.Find(ClusterKeys.Status(session)) is not { } status)
        {
            return Task.FromResult<LiveStatus?>(null);
        }
        var snapshot = status.ToSnapshot();
        return Task.FromResult<LiveStatus?>(cluster.Directory.Find(status.Worker) is null && !snapshot.IsTerminal
            ? new LiveStatus("", snapshot with { State = Session.Types.State.Starting })
            : new LiveStatus(status.Worker, snapshot));
    }

    /// <summary>Every declared session is placed and owned soon: no worker means between workers.</summary>
    public Grpc.Core.RpcException? WithoutWorker(SessionKey session) => NoOwner(session);

    public async Task LogoutAsync(SessionKey session, string recordedWorker, CancellationToken cancellationToken)
    {
        var worker = await WorkerOfAsync(session, recordedWorker, cancellationToken) ?? throw NoOwner(session);
        await worker.LogoutSessionAsync(session, cancellationToken);
    }

    public async Task RemoveAsync(SessionKey session, string recordedWorker, CancellationToken cancellationToken)
    {
        if (await WorkerOfAsync(session, recordedWorker, cancellationToken) is { } worker)
        {
            await worker.DeleteSessionAsync(session, cancellationToken);
        }
        await coordinator.DeleteAsync(ClusterKeys.Of(ClusterKeys.Sessions, session.Name), cancellationToken);
        // The owner deletes the status as it lets go; this covers a session that had no owner.
        await coordinator.DeleteAsync(ClusterKeys.Status(session), cancellationToken);
    }

    /// <summary>Nothing to do: the declared sessions live in the coordinator, not in this process.</summary>
    public Task<int> ResumeAsync(IReadOnlyList<(SessionKey Session, Engine Engine, string Worker)> running, CancellationToken cancellationToken) =>
        Task.FromResult(0);

    private static Grpc.Core.RpcException NoOwner(SessionKey session) =>
        ApiErrors.Unavailable(ErrorReason.NoWorker, $"{session.Name} is between workers right now; retry shortly.", OwnerRetry);
}
