using System.Text.Json;
using System.Text.Json.Serialization;
using Wagate.Core;
using Wagate.Engines;
using Wagate.Storage;
using Wagate.Worker.Runtime;

namespace Wagate.Worker.State;

/// <summary>Session state in object storage, encrypted per tenant. Objects are immutable:
/// <c>sessions/{tenant}/{session}/{token}/{seq}</c> hold a snapshot or a delta, and the session's
/// manifest names the snapshot and the deltas after it, in order. Nothing depends on listing. A write
/// counts once the manifest naming it is committed through <see cref="ISessionManifestStore"/>, which
/// refuses a writer that no longer owns the session (<see cref="FencedOutException"/>); the objects
/// such a writer wrote are orphans that nothing names. Every <see cref="CompactAfter"/> deltas the
/// state is rewritten as one snapshot.</summary>
public sealed class BlobSessionStateStore(IBlobStore blobs, TenantStateCipher cipher, ISessionManifestStore manifests) : ISessionStateStore
{
    public const int CompactAfter = 32;

    private readonly SessionLocks _locks = new();

    public async Task<SessionState> LoadAsync(SessionKey session, CancellationToken cancellationToken = default)
    {
        using var _ = await _locks.EnterAsync(session, cancellationToken);
        var manifest = await ReadManifestAsync(session, cancellationToken);
        return manifest is null ? SessionState.Empty : await ReadStateAsync(session, manifest, cancellationToken);
    }

    public async Task AppendAsync(SessionKey session, long fencingToken, StateDelta delta, CancellationToken cancellationToken = default)
    {
        using var _ = await _locks.EnterAsync(session, cancellationToken);
        var manifest = await ReadManifestAsync(session, cancellationToken) ?? new Manifest();
        var deltaKey = ObjectKey(session, fencingToken, manifest.Next++);
        await WriteAsync(session, deltaKey, Serialize(delta.Changes), cancellationToken);
        manifest.Deltas.Add(deltaKey);

        List<string> obsolete = [];
        if (manifest.Deltas.Count >= CompactAfter)
        {
            var state = await ReadStateAsync(session, manifest, cancellationToken);
            var snapshotKey = ObjectKey(session, fencingToken, manifest.Next++);
            await WriteAsync(session, snapshotKey, Serialize(state.Values.ToDictionary(p => p.Key, p => (byte[]?)p.Value)), cancellationToken);
            obsolete = [.. manifest.Deltas];
            if (manifest.Snapshot is { } oldSnapshot)
            {
                obsolete.Add(oldSnapshot);
            }
            manifest.Snapshot = snapshotKey;
            manifest.Deltas.Clear();
        }
        if (!await manifests.CommitAsync(session, fencingToken, JsonSerializer.SerializeToUtf8Bytes(manifest, StateJson.Default.Manifest), cancellationToken))
        {
            throw new FencedOutException($"{session} is owned by another writer now; what was written under fencing token {fencingToken} does not count.");
        }
        // Only once the new manifest is durable are the objects it no longer names removed.
        foreach (var key in obsolete)
        {
            await blobs.DeleteAsync(key, cancellationToken);
        }
    }

    public async Task WipeAsync(SessionKey session, long fencingToken, CancellationToken cancellationToken = default)
    {
        using var _ = await _locks.EnterAsync(session, cancellationToken);
        var manifest = await ReadManifestAsync(session, cancellationToken);
        // The fenced step first: a writer that lost the session must not delete the objects the
        // manifest of its new owner names.
        if (!await manifests.DeleteAsync(session, fencingToken, cancellationToken))
        {
            throw new FencedOutException($"{session} is owned by another writer now; nothing was wiped under fencing token {fencingToken}.");
        }
        if (manifest is null)
        {
            return;
        }
        foreach (var key in manifest.Deltas.Append(manifest.Snapshot).OfType<string>())
        {
            await blobs.DeleteAsync(key, cancellationToken);
        }
    }

    private async Task<SessionState> ReadStateAsync(SessionKey session, Manifest manifest, CancellationToken cancellationToken)
    {
        // Fetched side by side (a takeover loads hundreds of sessions at once, each up to
        // CompactAfter objects), applied in the manifest's order.
        var keys = manifest.Deltas.Prepend(manifest.Snapshot).OfType<string>().ToList();
        var objects = await Task.WhenAll(keys.Select(key => blobs.GetAsync(key, cancellationToken)));
        var state = new SessionState();
        foreach (var (key, sealedData) in keys.Zip(objects))
        {
            if (sealedData is null)
            {
                throw new InvalidDataException($"State object {key} named by the manifest of {session} is missing.");
            }
            var changes = JsonSerializer.Deserialize(cipher.Decrypt(session.TenantId, key, sealedData), StateJson.Default.DictionaryStringByteArray)!;
            state.Apply(new StateDelta(changes));
        }
        return state;
    }

    private async Task<Manifest?> ReadManifestAsync(SessionKey session, CancellationToken cancellationToken) =>
        await manifests.ReadAsync(session, cancellationToken) is { } stored
            ? JsonSerializer.Deserialize(stored, StateJson.Default.Manifest)
            : null;

    private Task WriteAsync(SessionKey session, string key, byte[] plaintext, CancellationToken cancellationToken) =>
        blobs.PutAsync(key, cipher.Encrypt(session.TenantId, key, plaintext), cancellationToken);

    private static byte[] Serialize(IReadOnlyDictionary<string, byte[]?> changes) =>
        JsonSerializer.SerializeToUtf8Bytes(changes.ToDictionary(), StateJson.Default.DictionaryStringByteArray);

    private static string ObjectKey(SessionKey session, long token, long sequence) =>
        $"sessions/{session.TenantId}/{session.SessionId}/{token}/{sequence:D10}";
}

/// <summary>Which objects make up a session's state.</summary>
internal sealed class Manifest
{
    [JsonPropertyName("v")]
    public int Version { get; set; } = 1;

    [JsonPropertyName("snapshot")]
    public string? Snapshot { get; set; }

    [JsonPropertyName("deltas")]
    public List<string> Deltas { get; set; } = [];

    [JsonPropertyName("next")]
    public long Next { get; set; } = 1;
}

[JsonSerializable(typeof(Manifest))]
[JsonSerializable(typeof(Dictionary<string, byte[]?>))]
internal sealed partial class StateJson : JsonSerializerContext;
