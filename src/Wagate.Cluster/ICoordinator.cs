namespace Wagate.Cluster;

/// <summary>The cluster's shared, strongly consistent key-value store (etcd, or one process's memory
/// on a single node): leases, create-if-absent ownership with fencing tokens, conditional commits
/// and prefix watches. Keys are UTF-8 strings; every write gets the store's next revision.</summary>
public interface ICoordinator
{
    /// <summary>A lease that expires <paramref name="ttl"/> after its last keep-alive; keys bound to it
    /// vanish then. It is kept alive until disposed (revoked) or <see cref="ILease.StopKeepAlive"/>.
    /// A store may round the TTL up (etcd: whole seconds, and a minimum); see <see cref="ILease.Ttl"/>.</summary>
    Task<ILease> GrantLeaseAsync(TimeSpan ttl, CancellationToken cancellationToken = default);

    /// <summary>The key, or null if it does not exist.</summary>
    Task<KeyValue?> GetAsync(string key, CancellationToken cancellationToken = default);

    /// <summary>All keys that start with <paramref name="prefix"/>, in key order, and the store
    /// revision they were read at: a watch from that revision misses nothing and repeats nothing.</summary>
    Task<PrefixSnapshot> GetPrefixAsync(string prefix, CancellationToken cancellationToken = default);

    /// <summary>Creates or replaces the key, bound to <paramref name="leaseId"/> (0: no lease), and returns
    /// the revision of the write. A lease that does not exist (any more) raises
    /// <see cref="LeaseNotFoundException"/> and writes nothing.</summary>
    Task<long> PutAsync(string key, byte[] value, long leaseId = 0, CancellationToken cancellationToken = default);

    /// <summary>Removes the key; false when there was no such key.</summary>
    Task<bool> DeleteAsync(string key, CancellationToken cancellationToken = default);

    /// <summary>Create-if-absent bound to a lease (0: none, for a key that outlives every process,
    /// such as a declared session; never an owner key, which must end with its owner): of many
    /// concurrent callers exactly one creates the key.
    /// Returns the key's create revision, the FENCING TOKEN of that ownership, when this call created
    /// it; null when the key already existed. A failed call is not retried, since a replayed create
    /// would report as lost an ownership it won: read the key instead; if it is bound to your lease
    /// (one per process), it is yours, and its create revision is the token.</summary>
    Task<long?> TryCreateAsync(string key, byte[] value, long leaseId, CancellationToken cancellationToken = default);

    /// <summary>etcd refuses a transaction of more than this many operations by default
    /// (<c>--max-txn-ops</c>); the writes of one commit stay under it.</summary>
    const int MaxOperationsPerTransaction = 128;

    /// <summary>The most keys <see cref="TryCreateAllAsync"/> takes: each is a comparison and a write.</summary>
    const int MaxKeysPerCreate = MaxOperationsPerTransaction / 2;

    /// <summary><see cref="TryCreateAsync"/> for many keys, all or none: in one atomic step, creates
    /// every key (each bound to its write's lease, which must be given) if none of them exists,
    /// and returns the step's revision, which is the create revision and so the FENCING TOKEN of
    /// each; null when any existed, and then nothing was written (create them one at a time to
    /// learn which). A takeover of a dead worker's sessions takes their owner keys this way, a
    /// few round trips instead of one a session. Not retried after a failure, for the reason
    /// <see cref="TryCreateAsync"/> gives.</summary>
    Task<long?> TryCreateAllAsync(IReadOnlyList<KeyWrite> keys, CancellationToken cancellationToken = default);

    /// <summary>Applies every write (a null value deletes) in one atomic step, only if
    /// <paramref name="ownerKey"/> still exists with create revision <paramref name="fencingToken"/>.
    /// False, with nothing written, when the caller no longer owns <paramref name="ownerKey"/>. A key
    /// may appear only once in <paramref name="writes"/>.</summary>
    Task<bool> CommitIfOwnerAsync(string ownerKey, long fencingToken, IReadOnlyList<KeyWrite> writes, CancellationToken cancellationToken = default);

    /// <summary>Every change under <paramref name="prefix"/> with a revision above
    /// <paramref name="startRevision"/>, in revision order, each exactly once. A broken connection is
    /// resumed from the last delivered revision + 1; when the history it needs was compacted it yields
    /// a <see cref="WatchEvent.Resync"/> with the current items and goes on from there. Ends only when
    /// <paramref name="cancellationToken"/> is cancelled (with <see cref="OperationCanceledException"/>).</summary>
    IAsyncEnumerable<WatchEvent> WatchPrefixAsync(string prefix, long startRevision, CancellationToken cancellationToken = default);
}
