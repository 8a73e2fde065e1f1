using Wagate.Core;
using Wagate.Core.Workers;

namespace Wagate.Gateway.Sessions;

/// <summary>The routing port: which worker runs a session, and where a new one goes. Single
/// node: the workers of this process. Cluster: the placement map in etcd (a later step).</summary>
public interface ISessionRouter
{
    IReadOnlyList<IWorkerClient> Workers { get; }

    /// <summary>The worker with this name, if it is up.</summary>
    IWorkerClient? Find(string workerName);

    /// <summary>The least loaded worker that takes sessions and has room, or null.</summary>
    IWorkerClient? Place();

    /// <summary>A token larger than any handed out before, to fence off older owners.</summary>
    long NextFencingToken();

    /// <summary>Stops placing sessions on the worker; it keeps what it runs until moved.</summary>
    void MarkDraining(string workerName);

    bool IsDraining(string workerName);

    /// <summary>What operators see of each worker.</summary>
    IReadOnlyList<WorkerInfo> Describe();
}

/// <summary>A worker as ListWorkers shows it.</summary>
public sealed record WorkerInfo(
    string Name, string Address, bool Draining, int SessionCount, int Capacity, int ProcessId, DateTimeOffset LastHeartbeat);

/// <summary>Routing among the workers hosted in this process.</summary>
public sealed class InProcessSessionRouter(IReadOnlyList<IWorkerClient> workers) : ISessionRouter
{
    // Seeded from the clock so tokens keep growing across restarts of the process.
    private long _token = DateTime.UtcNow.Ticks;

    public IReadOnlyList<IWorkerClient> Workers => workers;

    public IWorkerClient? Find(string workerName) => workers.FirstOrDefault(w => w.Name == workerName);

    public IWorkerClient? Place() => workers
        .Where(w => w.SessionCount < w.Capacity && !IsDraining(w.Name))
        .OrderBy(w => w.SessionCount)
        .ThenBy(w => w.Name, StringComparer.Ordinal)
        .FirstOrDefault();

    public long NextFencingToken() => Interlocked.Increment(ref _token);

    public void MarkDraining(string workerName) => _draining[workerName] = true;

    public bool IsDraining(string workerName) => _draining.ContainsKey(workerName);

    /// <summary>Workers in this process are as alive as the process that answers.</summary>
    public IReadOnlyList<WorkerInfo> Describe() => workers
        .Select(w => new WorkerInfo(w.Name, "in-process", IsDraining(w.Name), w.SessionCount, w.Capacity,
            Environment.ProcessId, DateTimeOffset.UtcNow))
        .ToList();

    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, bool> _draining = new(StringComparer.Ordinal);
}
