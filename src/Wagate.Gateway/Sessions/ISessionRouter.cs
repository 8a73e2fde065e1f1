using Wagate.Worker.Runtime;

namespace Wagate.Gateway.Sessions;

/// <summary>The routing port: which worker runs a session, and where a new one goes. Single
/// node: the workers of this process. Cluster: the placement map in etcd (a later step).</summary>
public interface ISessionRouter
{
    IReadOnlyList<IWorkerClient> Workers { get; }

    /// <summary>The worker with this name, if it is up.</summary>
    IWorkerClient? Find(string workerName);

    /// <summary>The least loaded worker with room, or null when all are full or none is up.</summary>
    IWorkerClient? Place();

    /// <summary>A token larger than any handed out before, to fence off older owners.</summary>
    long NextFencingToken();
}

/// <summary>Routing among the workers hosted in this process.</summary>
public sealed class InProcessSessionRouter(IReadOnlyList<IWorkerClient> workers) : ISessionRouter
{
    // Seeded from the clock so tokens keep growing across restarts of the process.
    private long _token = DateTime.UtcNow.Ticks;

    public IReadOnlyList<IWorkerClient> Workers => workers;

    public IWorkerClient? Find(string workerName) => workers.FirstOrDefault(w => w.Name == workerName);

    public IWorkerClient? Place() => workers
        .Where(w => w.SessionCount < w.Capacity)
        .OrderBy(w => w.SessionCount)
        .ThenBy(w => w.Name, StringComparer.Ordinal)
        .FirstOrDefault();

    public long NextFencingToken() => Interlocked.Increment(ref _token);
}
