using Wagate.Cluster.Watching;
using Wagate.Core;

namespace Wagate.Cluster.Membership;

/// <summary>The live workers as a gateway or the placement controller sees them, kept current by
/// a watch. A worker leaves the directory when its key vanishes, by a graceful leave or by lease
/// expiry.</summary>
public sealed class WorkerDirectory : IAsyncDisposable
{
    private readonly PrefixCache<WorkerRecord> _records;

    private WorkerDirectory(PrefixCache<WorkerRecord> records) => _records = records;

    /// <summary>Raised after every change, on the watch's thread; handlers must be quick.</summary>
    public event Action? Changed
    {
        add => _records.Changed += value;
        remove => _records.Changed -= value;
    }

    public IReadOnlyList<WorkerRecord> Workers => [.. _records.Items.Values.OrderBy(w => w.Name, StringComparer.Ordinal)];

    /// <summary>The revision the directory is current with.</summary>
    public long Revision => _records.Revision;

    public WorkerRecord? Find(string workerName) => _records.Find(ClusterKeys.Worker(workerName));

    public static async Task<WorkerDirectory> StartAsync(ICoordinator coordinator, CancellationToken cancellationToken = default) =>
        new(await PrefixCache.StartAsync(coordinator, ClusterKeys.Workers, item => WorkerRecord.FromBytes(item.Value), cancellationToken));

    public ValueTask DisposeAsync() => _records.DisposeAsync();
}
