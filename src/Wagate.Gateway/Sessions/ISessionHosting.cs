using Wagate.Contracts.Session.V1;
using Wagate.Core;
using Wagate.Core.Workers;

namespace Wagate.Gateway.Sessions;

/// <summary>Where sessions run, as the session use cases need it. A single node starts them on
/// its own workers at once (<see cref="InProcessSessionHosting"/>); a cluster declares them in
/// the coordinator and lets the elected placement controller and the workers' ownership agents
/// do the rest (<see cref="ClusterSessionHosting"/>).</summary>
public interface ISessionHosting
{
    /// <summary>Makes the session run; returns its worker's name when already known, else "".</summary>
    Task<string> StartAsync(SessionKey session, Engine engine, CancellationToken cancellationToken);

    /// <summary>Stops the session wherever it runs and runs it again; returns its worker's name
    /// when already known, else "".</summary>
    Task<string> RestartAsync(SessionKey session, Engine engine, string recordedWorker, CancellationToken cancellationToken);

    /// <summary>The worker that runs the session now, or null.</summary>
    Task<IWorkerClient?> WorkerOfAsync(SessionKey session, string recordedWorker, CancellationToken cancellationToken);

    /// <summary>What to answer a call that needs the session's worker when it has none: null when
    /// that means the session is not running (a single node starts sessions at once), or an error
    /// saying it is between workers and when to retry (a cluster, while it places or fails over).</summary>
    Grpc.Core.RpcException? WithoutWorker(SessionKey session);

    /// <summary>What the session's runtime last said, and which worker said it; null when it has
    /// not run since it was declared. Cheap enough to call for every session of a page.</summary>
    Task<LiveStatus?> StatusOfAsync(SessionKey session, string recordedWorker, CancellationToken cancellationToken);

    /// <summary>Unlinks the device and wipes the state, running or not.</summary>
    Task LogoutAsync(SessionKey session, string recordedWorker, CancellationToken cancellationToken);

    /// <summary>Stops the session for good and wipes its state.</summary>
    Task RemoveAsync(SessionKey session, string recordedWorker, CancellationToken cancellationToken);

    /// <summary>After a restart of the platform, runs again the sessions that were running.
    /// Returns how many it started.</summary>
    Task<int> ResumeAsync(IReadOnlyList<(SessionKey Session, Engine Engine, string Worker)> running, CancellationToken cancellationToken);
}

/// <summary>A session's live status, from <paramref name="Worker"/> ("" while it is between workers).</summary>
public sealed record LiveStatus(string Worker, SessionSnapshot Snapshot);
