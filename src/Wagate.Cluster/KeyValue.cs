namespace Wagate.Cluster;

/// <summary>A key as stored: <see cref="CreateRevision"/> is the revision that created it (stable
/// until it is deleted, so it serves as a fencing token), <see cref="ModRevision"/> the revision of its
/// last write, <see cref="LeaseId"/> 0 when it is bound to no lease.</summary>
public sealed record KeyValue(string Key, byte[] Value, long CreateRevision, long ModRevision, long LeaseId);
