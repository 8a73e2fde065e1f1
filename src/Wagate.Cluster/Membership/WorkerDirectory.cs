using System.Collections.Concurrent;
using Wagate.Cluster.Watching;
using Wagate.Core;

namespace Wagate.Cluster.Membership;

/// <summary>The live workers as a gateway or the placement controller sees them, kept current by
/// a watch. A worker leaves the directory when its key vanishes, by a graceful leave or by lease
/// expiry; before that, a worker whose heartbeats stopped arriving is <see cref="IsSilent"/>.</summary>
public sealed class WorkerDirectory : IAsyncDisposable
{
    private readonly PrefixCache<WorkerRecord> _records;
    /// <summary>When each worker's record last arrived, by this process's clock (not the
    /// worker's, which may be skewed).</summary>
    private readonly ConcurrentDictionary<string, long> _heard;
    private readonly TimeProvider _clock;

    /// <summary>How late a heartbeat may reach this process and still count as on time.</summary>
    private static readonly TimeSpan HeardLatency = TimeSpan.FromMilliseconds(500);

    private WorkerDirectory(PrefixCache<WorkerRecord> records, ConcurrentDictionary<string, long> heard, TimeProvider clock) =>
        (_records, _heard, _clock) = (records, heard, clock);

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

    /// <summary>Whether the worker missed two heartbeats (as it promised them in its record,
    /// with <see cref="HeardLatency"/> for the watch): it may be dead or frozen with its lease still
    /// running, so what it last said may no longer hold.</summary>
    public bool IsSilent(string workerName) =>
        Find(workerName) is { HeartbeatMillis: > 0 } record && _heard.TryGetValue(workerName, out var heard)
        && _clock.GetElapsedTime(heard) > 2 * TimeSpan.FromMilliseconds(record.HeartbeatMillis) + HeardLatency;

    public static async Task<WorkerDirectory> StartAsync(ICoordinator coordinator, CancellationToken cancellationToken = default) =>
        await StartAsync(coordinator, TimeProvider.System, cancellationToken);

    public static async Task<WorkerDirectory> StartAsync(ICoordinator coordinator, TimeProvider clock, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(clock);
        var heard = new ConcurrentDictionary<string, long>(StringComparer.Ordinal);
        var records = await PrefixCache.StartAsync(coordinator, ClusterKeys.Workers, item =>
        {
            var record = WorkerRecord.FromBytes(item.Value);
            heard[record.Name] = clock.GetTimestamp();
            return record;
        }, cancellationToken);
        return new WorkerDirectory(records, heard, clock);
    }

    public ValueTask DisposeAsync() => _records.DisposeAsync();
}
