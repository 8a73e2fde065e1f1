using System.Buffers.Binary;
using Wagate.Core;
using Wagate.Storage;
using Wagate.Worker.Runtime;

namespace Wagate.Worker.State;

/// <summary>The single node's manifests: one object per session in the blob store,
/// <c>sessions/{tenant}/{session}/manifest</c>, sealed per tenant, holding the fencing token of the
/// owner that committed it: <c>token (8 bytes, big-endian) | manifest</c>. A commit under a lower
/// token than the stored one is refused. The comparison happens in this process, which is enough
/// where one process owns every session; a blob store has no conditional write that would make it
/// hold across processes, which is why clusters commit manifests in the coordinator instead.
/// A deleted manifest leaves its token behind (a token with no manifest after it), so an older
/// owner's commit is still refused after the wipe.</summary>
public sealed class BlobSessionManifestStore(IBlobStore blobs, TenantStateCipher cipher) : ISessionManifestStore
{
    private const int TokenLength = sizeof(long);

    private readonly SessionLocks _locks = new();

    public async Task<byte[]?> ReadAsync(SessionKey session, CancellationToken cancellationToken = default) =>
        await ReadStoredAsync(session, cancellationToken) is { Manifest.Length: > 0 } stored ? stored.Manifest : null;

    public async Task<bool> CommitAsync(SessionKey session, long fencingToken, byte[] manifest, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(fencingToken);
        ArgumentOutOfRangeException.ThrowIfZero(manifest.Length); // an empty one marks a deleted manifest
        return await WriteIfOwnerAsync(session, fencingToken, manifest, cancellationToken);
    }

    public async Task<bool> DeleteAsync(SessionKey session, long fencingToken, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(fencingToken);
        return await WriteIfOwnerAsync(session, fencingToken, [], cancellationToken);
    }

    private async Task<bool> WriteIfOwnerAsync(SessionKey session, long fencingToken, byte[] manifest, CancellationToken cancellationToken)
    {
        using var _ = await _locks.EnterAsync(session, cancellationToken);
        if (await ReadStoredAsync(session, cancellationToken) is { } stored && stored.Token > fencingToken)
        {
            return false;
        }
        var plaintext = new byte[TokenLength + manifest.Length];
        BinaryPrimitives.WriteInt64BigEndian(plaintext, fencingToken);
        manifest.CopyTo(plaintext, TokenLength);
        var key = KeyOf(session);
        await blobs.PutAsync(key, cipher.Encrypt(session.TenantId, key, plaintext), cancellationToken);
        return true;
    }

    private async Task<(long Token, byte[] Manifest)?> ReadStoredAsync(SessionKey session, CancellationToken cancellationToken)
    {
        var key = KeyOf(session);
        if (await blobs.GetAsync(key, cancellationToken) is not { } sealedData)
        {
            return null;
        }
        var plaintext = cipher.Decrypt(session.TenantId, key, sealedData);
        return (BinaryPrimitives.ReadInt64BigEndian(plaintext), plaintext[TokenLength..]);
    }

    private static string KeyOf(SessionKey session) => $"sessions/{session.TenantId}/{session.SessionId}/manifest";
}
