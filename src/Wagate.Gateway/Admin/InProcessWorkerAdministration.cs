using Microsoft.EntityFrameworkCore;
using Wagate.Core;
using Wagate.Data;
using Wagate.Gateway.Sessions;
using SessionState = Wagate.Contracts.Session.V1.Session.Types.State;

namespace Wagate.Gateway.Admin;

/// <summary>The workers of this process: moves are done at once by the <see cref="SessionMover"/>,
/// and the sessions table holds what the workers reported.</summary>
public sealed class InProcessWorkerAdministration(ISessionRouter router, SessionMover mover, WagateDbContext db) : IWorkerAdministration
{
    public Task<IReadOnlyList<WorkerInfo>> ListAsync(CancellationToken cancellationToken) => Task.FromResult(router.Describe());

    public Task<IReadOnlyList<SessionKey>> DrainAsync(string workerName, CancellationToken cancellationToken) =>
        mover.DrainAsync(workerName, cancellationToken);

    public Task MigrateAsync(SessionKey session, string targetWorker, CancellationToken cancellationToken) =>
        mover.MigrateAsync(session, targetWorker, cancellationToken);

    public Task<int> CountConnectedSessionsAsync(CancellationToken cancellationToken) =>
        db.Sessions.CountAsync(s => s.State == (int)SessionState.Connected, cancellationToken);
}
