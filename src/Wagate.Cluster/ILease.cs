namespace Wagate.Cluster;

/// <summary>One process's lease (etcd's concurrency session: one lease per process, its keys tied to
/// its life). Disposing revokes it: its keys vanish at once and <see cref="Lost"/> is cancelled.</summary>
public interface ILease : IAsyncDisposable
{
    long Id { get; }

    /// <summary>The TTL the store granted, which may be longer than the one asked for.</summary>
    TimeSpan Ttl { get; }

    /// <summary>Cancelled as soon as the lease may have ended: keep-alive failed until the TTL ran
    /// out, or the store reports the lease gone, or it was revoked. The holder must stop acting as
    /// an owner at once; it never comes back.</summary>
    CancellationToken Lost { get; }

    /// <summary>Stops renewing without revoking (etcd's Session.Orphan): the lease ends one TTL after
    /// its last renewal, and <see cref="Lost"/> with it. For a holder that cannot tell whether a
    /// revoke would reach the store, and for tests of expiry.</summary>
    void StopKeepAlive();
}
