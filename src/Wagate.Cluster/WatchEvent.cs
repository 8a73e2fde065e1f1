namespace Wagate.Cluster;

/// <summary>What a prefix watch delivers. <see cref="Revision"/> is where the watcher now stands:
/// everything up to it has been delivered.</summary>
public abstract record WatchEvent(long Revision)
{
    /// <summary>The key was created or replaced.</summary>
    public sealed record Put(KeyValue Item) : WatchEvent(Item.ModRevision);

    /// <summary>The key was deleted, by a delete or because its lease ended.</summary>
    public sealed record Deleted(string Key, long Revision) : WatchEvent(Revision);

    /// <summary>The changes since the last event are no longer known (history compacted): these are
    /// all the items under the prefix at <see cref="WatchEvent.Revision"/>; replace what you hold.</summary>
    public sealed record Resync(IReadOnlyList<KeyValue> Items, long Revision) : WatchEvent(Revision);
}
