using Wagate.Core;

namespace Wagate.Gateway.Admin;

/// <summary>What operators do with workers, as AdminService needs it: the gateway asks its
/// placement controller and waits for the workers' ownership agents to carry the moves out
/// (<see cref="ClusterWorkerAdministration"/>, on a single node and a cluster alike). A move never
/// logs the device out: no QR code, no rescan.</summary>
public interface IWorkerAdministration
{
    /// <summary>The workers that are up.</summary>
    Task<IReadOnlyList<WorkerInfo>> ListAsync(CancellationToken cancellationToken);

    /// <summary>Moves every session away from the worker, which then takes no new ones. Returns
    /// the sessions moved. NOT_FOUND for a worker that is not up.</summary>
    Task<IReadOnlyList<SessionKey>> DrainAsync(string workerName, CancellationToken cancellationToken);

    /// <summary>Moves one session to the named worker and returns once it runs there.</summary>
    Task MigrateAsync(SessionKey session, string targetWorker, CancellationToken cancellationToken);

    /// <summary>Sessions connected to WhatsApp right now, across every tenant.</summary>
    Task<int> CountConnectedSessionsAsync(CancellationToken cancellationToken);
}

/// <summary>A worker as ListWorkers shows it.</summary>
public sealed record WorkerInfo(
    string Name, string Address, bool Draining, int SessionCount, int Capacity, int ProcessId, DateTimeOffset LastHeartbeat);
