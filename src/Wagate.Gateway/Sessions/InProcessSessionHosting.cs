using Wagate.Contracts.Session.V1;
using Wagate.Core;
using Wagate.Core.Workers;
using Wagate.Gateway.Errors;

namespace Wagate.Gateway.Sessions;

/// <summary>Sessions on the workers of this process: placed on the least loaded at once, with a
/// fencing token from the in-process router.</summary>
public sealed class InProcessSessionHosting(ISessionRouter router) : ISessionHosting
{
    private static readonly TimeSpan NoWorkerRetry = TimeSpan.FromSeconds(5);

    public async Task<string> StartAsync(SessionKey session, Engine engine, CancellationToken cancellationToken)
    {
        var worker = router.Place() ?? throw NoWorker();
        await worker.StartSessionAsync(session, engine, router.NextFencingToken(), cancellationToken);
        return worker.Name;
    }

    public async Task<string> RestartAsync(SessionKey session, Engine engine, string recordedWorker, CancellationToken cancellationToken)
    {
        if (router.Find(recordedWorker) is { } current)
        {
            await current.StopSessionAsync(session, cancellationToken);
        }
        return await StartAsync(session, engine, cancellationToken);
    }

    public Task<IWorkerClient?> WorkerOfAsync(SessionKey session, string recordedWorker, CancellationToken cancellationToken) =>
        Task.FromResult(router.Find(recordedWorker));

    public Grpc.Core.RpcException? WithoutWorker(SessionKey session) => null;

    public async Task<LiveStatus?> StatusOfAsync(SessionKey session, string recordedWorker, CancellationToken cancellationToken) =>
        router.Find(recordedWorker) is { } worker && await worker.GetSnapshotAsync(session, cancellationToken) is { } snapshot
            ? new LiveStatus(worker.Name, snapshot)
            : null;

    public async Task LogoutAsync(SessionKey session, string recordedWorker, CancellationToken cancellationToken)
    {
        // Any worker can wipe the state of a session that runs nowhere: they share the store.
        var worker = router.Find(recordedWorker) ?? router.Place() ?? throw NoWorker();
        await worker.LogoutSessionAsync(session, cancellationToken);
    }

    public async Task RemoveAsync(SessionKey session, string recordedWorker, CancellationToken cancellationToken)
    {
        if (router.Find(recordedWorker) is { } worker)
        {
            await worker.DeleteSessionAsync(session, cancellationToken);
        }
    }

    public async Task<int> ResumeAsync(IReadOnlyList<(SessionKey Session, Engine Engine, string Worker)> running, CancellationToken cancellationToken)
    {
        foreach (var (session, engine, recordedWorker) in running)
        {
            var worker = router.Find(recordedWorker) ?? router.Place() ?? throw NoWorker();
            await worker.StartSessionAsync(session, engine, router.NextFencingToken(), cancellationToken);
        }
        return running.Count;
    }

    internal static Grpc.Core.RpcException NoWorker() =>
        ApiErrors.Unavailable(ErrorReason.NoWorker, "No worker has room for the session right now; retry shortly.", NoWorkerRetry);
}
