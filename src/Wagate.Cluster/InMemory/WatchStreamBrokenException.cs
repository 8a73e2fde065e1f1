namespace Wagate.Cluster;

/// <summary>The single node closed a watch stream (its watcher fell too far behind, or an outage was
/// simulated); the watch resumes on a new one.</summary>
internal sealed class WatchStreamBrokenException : Exception
{
    public WatchStreamBrokenException()
    {
    }

    public WatchStreamBrokenException(string message) : base(message)
    {
    }

    public WatchStreamBrokenException(string message, Exception innerException) : base(message, innerException)
    {
    }
}
