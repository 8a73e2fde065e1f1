namespace Wagate.Cluster.Watching;

/// <summary>What a store offers <see cref="ResumingWatch"/>: single watch streams that may break, and
/// a consistent read to start again from when history is gone.</summary>
internal interface IWatchStreams
{
    /// <summary>One connection's stream of the changes under <paramref name="prefix"/> after revision
    /// <paramref name="after"/>. Throws <see cref="WatchHistoryCompactedException"/> when some of them
    /// are no longer known; ends, or throws what <see cref="IsBroken"/> accepts, when the connection
    /// breaks.</summary>
    IAsyncEnumerable<WatchBatch> OpenAsync(string prefix, long after, CancellationToken cancellationToken);

    /// <summary>Whether the failure is the stream's connection breaking, worth opening another.</summary>
    bool IsBroken(Exception exception);

    Task<PrefixSnapshot> GetPrefixAsync(string prefix, CancellationToken cancellationToken);
}
