namespace Wagate.Cluster;

public sealed record InMemoryCoordinatorOptions
{
    /// <summary>How many revisions of change history are kept for watches to resume from; older ones
    /// are compacted away, as etcd's auto-compaction does.</summary>
    public int HistoryLimit { get; init; } = 10_000;

    /// <summary>How many undelivered revisions a watch may fall behind before its stream is closed
    /// (it then resumes from history, or resyncs), so a stalled watcher cannot hold memory forever.</summary>
    public int WatchBufferLimit { get; init; } = 10_000;

    /// <summary>The revision the store starts after. Create revisions are fencing tokens, and a
    /// memory store forgets its counter when the process ends: a single node that starts each run
    /// above every revision of the runs before (counted by Wagate.Server.RunEpoch) keeps its tokens
    /// rising across restarts.</summary>
    public long StartRevision { get; init; }
}
