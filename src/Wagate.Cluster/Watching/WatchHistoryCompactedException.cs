namespace Wagate.Cluster.Watching;

/// <summary>A watch asked for changes the store has compacted away.</summary>
internal sealed class WatchHistoryCompactedException : Exception
{
    public WatchHistoryCompactedException()
    {
    }

    public WatchHistoryCompactedException(string message) : base(message)
    {
    }

    public WatchHistoryCompactedException(string message, Exception innerException) : base(message, innerException)
    {
    }
}
