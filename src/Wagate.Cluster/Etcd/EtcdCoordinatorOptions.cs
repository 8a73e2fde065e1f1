namespace Wagate.Cluster;

public sealed record EtcdCoordinatorOptions
{
    /// <summary>The etcd client URL, e.g. http://127.0.0.1:2379.</summary>
    public required Uri Endpoint { get; init; }

    /// <summary>Prepended to every key on the way in and removed on the way out (etcd's namespace
    /// client), so that deployments, or tests, can share one etcd without seeing each other's keys.
    /// Revisions and compaction stay shared.</summary>
    public string KeyPrefix { get; init; } = "";
}
