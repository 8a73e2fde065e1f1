using Wagate.Cluster;
using Wagate.Core;
using Wagate.Storage;
using Wagate.Worker.Runtime;

namespace Wagate.Worker.State;

/// <summary>A cluster's manifests: one coordinator key per session (<see cref="ClusterKeys.Manifest"/>),
/// sealed per tenant with the key as associated data, committed in one transaction that compares the
/// session's owner key (<see cref="ClusterKeys.Owner"/>) with the writer's fencing token. A
/// worker that lost that key (its lease ran out, another worker took the session over) commits
/// nothing, whatever it believes about itself.</summary>
public sealed class CoordinatorSessionManifestStore(ICoordinator coordinator, TenantStateCipher cipher) : ISessionManifestStore
{
    public async Task<byte[]?> ReadAsync(SessionKey session, CancellationToken cancellationToken = default)
    {
        var key = ClusterKeys.Manifest(session);
        return await coordinator.GetAsync(key, cancellationToken) is { } stored
            ? cipher.Decrypt(session.TenantId, key, stored.Value)
            : null;
    }

    public Task<bool> CommitAsync(SessionKey session, long fencingToken, byte[] manifest, CancellationToken cancellationToken = default)
    {
        var key = ClusterKeys.Manifest(session);
        return coordinator.CommitIfOwnerAsync(ClusterKeys.Owner(session), fencingToken,
            [new KeyWrite(key, cipher.Encrypt(session.TenantId, key, manifest))], cancellationToken);
    }

    /// <remarks>Fenced like a commit: an older owner's later commits fail on the owner key, which
    /// is no longer theirs, whatever the manifest says.</remarks>
    public Task<bool> DeleteAsync(SessionKey session, long fencingToken, CancellationToken cancellationToken = default) =>
        coordinator.CommitIfOwnerAsync(ClusterKeys.Owner(session), fencingToken,
            [KeyWrite.Delete(ClusterKeys.Manifest(session))], cancellationToken);
}
