namespace Wagate.Cluster.Watching;

/// <summary>Changes of whole revisions, or none (a progress report): a stream never splits one revision
/// (a lease's keys vanish together at one revision), so resuming at <see cref="Revision"/> + 1 skips
/// nothing and repeats nothing.</summary>
internal sealed record WatchBatch(IReadOnlyList<WatchEvent> Events, long Revision);
