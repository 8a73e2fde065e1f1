using Wagate.Contracts.Session.V1;
using Wagate.Core;
using Wagate.Core.Workers;

namespace Wagate.Gateway.Sessions;

/// <summary>Where sessions run, as the session use cases need it: declared in the coordinator,
/// placed by the elected placement controller and run by the workers' ownership agents
/// (<see cref="ClusterSessionHosting"/>, on a single node and a cluster alike).</summary>
public interface ISessionHosting
{
    /// <summary>Declares the session: it runs as soon as a worker takes it.</summary>
    Task StartAsync(SessionKey session, Engine engine, CancellationToken cancellationToken);

    /// <summary>Stops the session wherever it runs and runs it again, declaring it if it was not.</summary>
    Task RestartAsync(SessionKey session, Engine engine, CancellationToken cancellationToken);

    /// <summary>The worker that runs the session now, or null.</summary>
    Task<IWorkerClient?> WorkerOfAsync(SessionKey session, CancellationToken cancellationToken);

    /// <summary>The worker that runs the session, waiting a few seconds for one while the session
    /// is being placed or handed over; null when none runs it by then.</summary>
    Task<IWorkerClient?> RunningWorkerAsync(SessionKey session, CancellationToken cancellationToken);

    /// <summary>What to answer a call that needs the session's worker when it has none: null when
    /// that means the session is not running (it waits for a restart), or an error saying it is
    /// between workers and when to retry (while it is placed or fails over).</summary>
    Task<Grpc.Core.RpcException?> WithoutWorkerAsync(SessionKey session, CancellationToken cancellationToken);

    /// <summary>What the session's runtime last said, and which worker said it; null when it has
    /// not run since it was declared. Cheap enough to call for every session of a page.</summary>
    Task<LiveStatus?> StatusOfAsync(SessionKey session, CancellationToken cancellationToken);

    /// <summary>Unlinks the device and wipes the state, running or not, and fails what the
    /// session still had queued; its owner records it LOGGED_OUT. Returns the running session's
    /// last status, or null when it ran nowhere (its row says LOGGED_OUT by then).</summary>
    Task<LiveStatus?> LogoutAsync(SessionKey session, CancellationToken cancellationToken);

    /// <summary>Stops the session for good and wipes its state.</summary>
    Task RemoveAsync(SessionKey session, CancellationToken cancellationToken);

    /// <summary>After a start of the platform, declares again the sessions that were running, if
    /// the coordinator lost them (a single node's coordinator lives in memory; etcd restored from
    /// an old backup). Returns how many it declared.</summary>
    Task<int> ResumeAsync(IReadOnlyList<(SessionKey Session, Engine Engine)> running, CancellationToken cancellationToken);
}

/// <summary>A session's live status, from <paramref name="Worker"/> ("" while it is between workers).</summary>
public sealed record LiveStatus(string Worker, SessionSnapshot Snapshot);
