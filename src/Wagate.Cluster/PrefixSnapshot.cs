namespace Wagate.Cluster;

/// <summary>The keys under a prefix as they were at <see cref="Revision"/>.</summary>
public sealed record PrefixSnapshot(IReadOnlyList<KeyValue> Items, long Revision);
