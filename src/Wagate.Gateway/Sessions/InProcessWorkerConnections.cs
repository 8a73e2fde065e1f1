using System.Collections.Frozen;
using Wagate.Cluster.Membership;
using Wagate.Core.Workers;

namespace Wagate.Gateway.Sessions;

/// <summary>Workers that run in this very process (a single node): the directory's record names
/// one of them, and calls go to it directly, with no network in between.</summary>
public sealed class InProcessWorkerConnections(IEnumerable<IWorkerClient> workers) : IWorkerConnections
{
    private readonly FrozenDictionary<string, IWorkerClient> _byName = workers.ToFrozenDictionary(w => w.Name, StringComparer.Ordinal);

    public IWorkerClient Connect(WorkerRecord worker) =>
        _byName.TryGetValue(worker.Name, out var client)
            ? client
            : throw new InvalidOperationException($"{worker.Name} is registered in this node's coordinator but is not one of its workers.");
}
