namespace Wagate.Cluster;

/// <summary>A store whose change history can be discarded, as etcd's compaction (by an operator or
/// its auto-compaction) does. Production code never needs it; tests use it to make watches resync.</summary>
public interface ICompactable
{
    /// <summary>Forgets the changes before <paramref name="revision"/> (at most the current revision):
    /// a watch that needs them yields a <see cref="WatchEvent.Resync"/>.</summary>
    Task CompactAsync(long revision, CancellationToken cancellationToken = default);
}
