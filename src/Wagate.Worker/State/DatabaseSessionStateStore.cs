using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.Extensions.Logging;
using Wagate.Core;
using Wagate.Data.Sessions;
using Wagate.Engines;
using Wagate.Storage;
using Wagate.Worker.Runtime;
using Wagate.Worker.Telemetry;

namespace Wagate.Worker.State;

/// <summary>Session state as a log of deltas in the database (<see cref="SessionStateLog"/>),
/// compacted into snapshots in the blob store. A delta is durable once its row is committed; the
/// deltas of every session of this worker that arrive while a commit runs go into the next one
/// (<see cref="GroupCommit{TItem, TResult}"/>), so a worker with a thousand busy sessions makes a
/// few commits where it made a thousand object writes and manifest commits. Each write is fenced
/// by the session's owner token in the database. Every <see cref="CompactAfter"/> deltas of a
/// session, the session's state is written as one immutable snapshot object, which then replaces
/// those deltas under the same fence; it runs beside the session's writes, not in their way.
/// Deltas and snapshots are sealed per tenant with where they belong to as associated data.</summary>
public sealed class DatabaseSessionStateStore : ISessionStateStore, IAsyncDisposable
{
    public const int CompactAfter = 64;

    private readonly SessionStateLog _log;
    private readonly IBlobStore _blobs;
    private readonly TenantStateCipher _cipher;
    private readonly ILogger _logger;
    private readonly WorkerMetrics? _metrics;
    private readonly GroupCommit<StateAppend, bool> _appends;
    /// <summary>Loads that arrive together are read together: a takeover loads hundreds of sessions at once.</summary>
    private readonly GroupCommit<SessionKey, StoredSessionState> _loads;
    private readonly SessionLocks _snapshotLocks = new();
    /// <summary>Deltas of each session stored since its snapshot, as far as this worker knows.</summary>
    private readonly ConcurrentDictionary<SessionKey, int> _sinceSnapshot = new();
    private readonly ConcurrentDictionary<SessionKey, Task> _compactions = new();

    public DatabaseSessionStateStore(SessionStateLog log, IBlobStore blobs, TenantStateCipher cipher, ILogger<DatabaseSessionStateStore> logger, WorkerMetrics? metrics = null)
    {
        _log = log;
        _blobs = blobs;
        _cipher = cipher;
        _logger = logger;
        _metrics = metrics;
        _appends = new GroupCommit<StateAppend, bool>(CommitAsync, writers: 2, maxGroup: 512, stopping: "The worker is stopping.");
        _loads = new GroupCommit<SessionKey, StoredSessionState>(async sessions =>
            [.. (await _log.ReadAllAsync([.. sessions.Select(s => (s.TenantId, s.SessionId))])).Select(Task.FromResult)],
            writers: 2, maxGroup: 256, stopping: "The worker is stopping.");
    }

    public async Task<SessionState> LoadAsync(SessionKey session, CancellationToken cancellationToken = default)
    {
        var stored = await _loads.SubmitAsync(session).WaitAsync(cancellationToken);
        _sinceSnapshot[session] = stored.Deltas.Count;
        return await StateOfAsync(session, stored, cancellationToken);
    }

    public async Task AppendAsync(SessionKey session, long fencingToken, StateDelta delta, CancellationToken cancellationToken = default)
    {
        var sealedDelta = _cipher.Encrypt(session.TenantId, DeltaContext(session), Serialize(delta.Changes));
        if (!await _appends.SubmitAsync(new StateAppend(session.TenantId, session.SessionId, fencingToken, sealedDelta)).WaitAsync(cancellationToken))
        {
            throw new FencedOutException($"{session} is owned by another writer now; what was written under fencing token {fencingToken} does not count.");
        }
        if (_sinceSnapshot.AddOrUpdate(session, 1, (_, count) => count + 1) >= CompactAfter)
        {
            StartCompaction(session, fencingToken);
        }
    }

    public async Task WipeAsync(SessionKey session, long fencingToken, CancellationToken cancellationToken = default)
    {
        using var _ = await _snapshotLocks.EnterAsync(session, cancellationToken);
        var (owned, snapshot) = await _log.WipeAsync(session.TenantId, session.SessionId, fencingToken, cancellationToken);
        if (!owned)
        {
            throw new FencedOutException($"{session} is owned by another writer now; nothing was wiped under fencing token {fencingToken}.");
        }
        _sinceSnapshot.TryRemove(session, out int _);
        if (snapshot is not null)
        {
            await _blobs.DeleteAsync(snapshot, cancellationToken);
        }
    }

    private async Task<IReadOnlyList<Task<bool>>> CommitAsync(IReadOnlyList<StateAppend> appends)
    {
        var appended = await _log.AppendAllAsync(appends);
        _metrics?.StateCommitted(appends.Count);
        return [.. appended.Select(Task.FromResult)];
    }

    /// <summary>One compaction of a session at a time, repeated while the deltas appended during
    /// one are already enough for the next (an append that asked meanwhile was turned away, and a
    /// session that then goes quiet would keep them all); a failed one is only logged (the deltas
    /// stay, and the next append tries again).</summary>
    private void StartCompaction(SessionKey session, long fencingToken)
    {
        var started = new TaskCompletionSource();
        if (!_compactions.TryAdd(session, started.Task))
        {
            return;
        }
        _ = Task.Run(async () =>
        {
            try
            {
                while (await CompactAsync(session, fencingToken) && _sinceSnapshot.TryGetValue(session, out var since) && since >= CompactAfter)
                {
                }
            }
            catch (Exception failed)
            {
                _logger.LogWarning("Compacting the state of {Session} failed ({Problem}); its deltas stay until the next try", session, failed.Message);
            }
            finally
            {
                _compactions.TryRemove(session, out Task? _);
                started.SetResult();
            }
        });
    }

    /// <summary>Writes the state as a new snapshot object and makes it the session's, then deletes
    /// the snapshot it replaced. An object whose replacement was refused (fenced out, or a wipe
    /// came between) is deleted again: nothing names it.</summary>
    /// <returns>Whether the snapshot replaced deltas.</returns>
    private async Task<bool> CompactAsync(SessionKey session, long fencingToken)
    {
        using var _ = await _snapshotLocks.EnterAsync(session, CancellationToken.None);
        var stored = await _log.ReadAsync(session.TenantId, session.SessionId);
        if (stored.Deltas.Count == 0)
        {
            return false;
        }
        var state = await StateOfAsync(session, stored, CancellationToken.None);
        var through = stored.Deltas[^1].Id;
        var snapshotKey = SnapshotKey(session, fencingToken, through);
        await _blobs.PutAsync(snapshotKey, _cipher.Encrypt(session.TenantId, snapshotKey,
            Serialize(state.Values.ToDictionary(p => p.Key, p => (byte[]?)p.Value, StringComparer.Ordinal))));
        var change = await _log.ReplaceSnapshotAsync(session.TenantId, session.SessionId, fencingToken, stored, snapshotKey, through);
        if (change != SnapshotChange.Done)
        {
            await _blobs.DeleteAsync(snapshotKey);
            return false;
        }
        _metrics?.StateCompacted();
        _sinceSnapshot.AddOrUpdate(session, 0, (_, count) => Math.Max(0, count - stored.Deltas.Count));
        if (stored.Snapshot is { } replaced)
        {
            await _blobs.DeleteAsync(replaced);
        }
        return true;
    }

    private async Task<SessionState> StateOfAsync(SessionKey session, StoredSessionState stored, CancellationToken cancellationToken)
    {
        var state = new SessionState();
        if (stored.Snapshot is { } snapshotKey)
        {
            var sealedSnapshot = await _blobs.GetAsync(snapshotKey, cancellationToken)
                ?? throw new InvalidDataException($"The state snapshot {snapshotKey} of {session} is missing.");
            state.Apply(Deserialize(_cipher.Decrypt(session.TenantId, snapshotKey, sealedSnapshot)));
        }
        foreach (var delta in stored.Deltas)
        {
            state.Apply(Deserialize(_cipher.Decrypt(session.TenantId, DeltaContext(session), delta.Data)));
        }
        return state;
    }

    /// <summary>The associated data of a session's deltas: a delta moved to another session or
    /// tenant does not decrypt.</summary>
    private static string DeltaContext(SessionKey session) => $"session-state/{session.TenantId}/{session.SessionId}";

    private static string SnapshotKey(SessionKey session, long token, long through) =>
        $"sessions/{session.TenantId}/{session.SessionId}/{token}/{through:D19}";

    private static byte[] Serialize(IReadOnlyDictionary<string, byte[]?> changes) => JsonSerializer.SerializeToUtf8Bytes(new StoredChanges
    {
        Set = changes.Where(c => c.Value is not null).ToDictionary(c => c.Key, c => c.Value!),
        Removed = [.. changes.Where(c => c.Value is null).Select(c => c.Key)],
    }, StateJson.Default.StoredChanges);

    private static StateDelta Deserialize(byte[] json)
    {
        var stored = JsonSerializer.Deserialize(json, StateJson.Default.StoredChanges)!;
        var changes = new Dictionary<string, byte[]?>(stored.Set.Count + stored.Removed.Count, StringComparer.Ordinal);
        foreach (var (key, value) in stored.Set)
        {
            changes[key] = value;
        }
        foreach (var key in stored.Removed)
        {
            changes[key] = null;
        }
        return new StateDelta(changes);
    }

    /// <summary>Commits what was handed over and lets running compactions finish.</summary>
    public async ValueTask DisposeAsync()
    {
        await _loads.DisposeAsync();
        await _appends.DisposeAsync();
        await Task.WhenAll(_compactions.Values);
    }
}

/// <summary>A delta or a snapshot as stored: the values set and the keys removed, apart (the JSON
/// serializer writes a null byte array in a dictionary as an empty string, which would read back
/// as a value).</summary>
internal sealed class StoredChanges
{
    [JsonPropertyName("set")]
    public Dictionary<string, byte[]> Set { get; set; } = [];

    [JsonPropertyName("removed")]
    public List<string> Removed { get; set; } = [];
}

[JsonSerializable(typeof(StoredChanges))]
internal sealed partial class StateJson : JsonSerializerContext;
