using System.Security.Cryptography;
using Wagate.Cluster;
using Wagate.Core;
using Wagate.Storage;
using Wagate.Testing;
using Wagate.Worker.Runtime;
using Wagate.Worker.State;
using Xunit;

namespace Wagate.Worker.Tests;

/// <summary>The suite on the cluster's manifests, where owning a session is holding its owner key
/// (created bound to the owner's lease; its create revision is the token), plus what only a
/// coordinator can promise: a commit is refused as soon as the key is lost, before any new owner
/// writes, and the manifest itself outlives the lease of the owner that wrote it.</summary>
public abstract class CoordinatorSessionManifestStoreTests : SessionManifestStoreConformanceTests
{
    /// <summary>etcd grants no shorter lease in practice; both coordinators are tested with the same one.</summary>
    private static readonly TimeSpan LeaseTtl = TimeSpan.FromSeconds(2);

    private readonly TenantStateCipher _cipher = new(RandomNumberGenerator.GetBytes(32));
    private readonly Dictionary<SessionKey, ILease> _owners = [];
    private readonly List<ILease> _leases = [];
    private CoordinatorSessionManifestStore? _manifests;

    /// <summary>The coordinator under test, with keys no other test sees.</summary>
    protected abstract ICoordinator Coordinator { get; }

    protected override ISessionManifestStore Manifests => _manifests ??= new CoordinatorSessionManifestStore(Coordinator, _cipher);

    protected override async Task<long> HandToNewOwnerAsync(SessionKey session)
    {
        var lease = await Coordinator.GrantLeaseAsync(LeaseTtl);
        _leases.Add(lease);
        // As a failover does: the old owner's key goes (its lease ran out, or it was removed), and
        // the next worker claims the session with a key of its own, under a new create revision.
        await Coordinator.DeleteAsync(ClusterKeys.Owner(session));
        var token = await Coordinator.TryCreateAsync(ClusterKeys.Owner(session), Bytes($"worker-{lease.Id}"), lease.Id)
            ?? throw new InvalidOperationException($"{session} was claimed by someone else.");
        _owners[session] = lease;
        return token;
    }

    protected override async Task<byte[]?> StoredAsync(SessionKey session) =>
        (await Coordinator.GetAsync(ClusterKeys.Manifest(session)))?.Value;

    public override async Task DisposeAsync()
    {
        foreach (var lease in _leases)
        {
            await lease.DisposeAsync();
        }
    }

    [Fact]
    public async Task A_commit_after_a_takeover_is_refused_even_before_the_new_owner_commits()
    {
        var older = await HandToNewOwnerAsync(Session);
        Assert.True(await Manifests.CommitAsync(Session, older, Bytes("older")));

        await HandToNewOwnerAsync(Session);

        Assert.False(await Manifests.CommitAsync(Session, older, Bytes("stale")));
        Assert.Equal("older", await ReadTextAsync(Session));
    }

    [Fact]
    public async Task Once_the_owners_lease_has_expired_its_commits_are_refused_and_its_manifest_remains()
    {
        var token = await HandToNewOwnerAsync(Session);
        Assert.True(await Manifests.CommitAsync(Session, token, Bytes("before expiry")));

        _owners[Session].StopKeepAlive();
        await Poll.UntilAsync(async () => await Coordinator.GetAsync(ClusterKeys.Owner(Session)) is null);

        Assert.Null(await Coordinator.GetAsync(ClusterKeys.Owner(Session)));
        Assert.False(await Manifests.CommitAsync(Session, token, Bytes("after expiry")));
        Assert.Equal("before expiry", await ReadTextAsync(Session));
    }

    [Fact]
    public async Task A_writer_of_a_session_that_no_one_owns_commits_nothing()
    {
        Assert.False(await Manifests.CommitAsync(Session, fencingToken: 1, Bytes("unowned")));

        Assert.Null(await Manifests.ReadAsync(Session));
    }
}
