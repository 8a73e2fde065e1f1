using Microsoft.EntityFrameworkCore;
using Wagate.Data.Entities;
using Wagate.Data.Messages;

namespace Wagate.Data.Sessions;

/// <summary>A change of one session's state to append, sealed by its writer.</summary>
public sealed record StateAppend(string TenantId, string SessionId, long FencingToken, byte[] Data);

/// <summary>A session's stored state: the snapshot blob (if any) holding every delta up to
/// <see cref="Through"/>, and the deltas after it in order.</summary>
public sealed record StoredSessionState(string? Snapshot, long Through, IReadOnlyList<StoredStateDelta> Deltas);

/// <summary>One stored delta.</summary>
public sealed record StoredStateDelta(long Id, byte[] Data);

/// <summary>How a fenced change of the snapshot ended.</summary>
public enum SnapshotChange
{
    Done,
    /// <summary>Another owner has the session: nothing changed.</summary>
    FencedOut,
    /// <summary>The snapshot is no longer the one the change was made from (a wipe came between): nothing changed.</summary>
    Stale,
}

/// <summary>Session state as the workers write it: an append-only log of sealed deltas per
/// session (<c>session_state_deltas</c>) and, on the session's row, the snapshot blob that the
/// log's older entries were compacted into. Every write is fenced by the session's owner token
/// (<see cref="SessionFence"/>), exactly as the message ledger's: a worker that lost the session
/// writes nothing that counts. Appends of many sessions share one transaction, which is what lets
/// state writes scale with sessions instead of messages.</summary>
public sealed class SessionStateLog(WagateDbContextFactory contexts)
{
    /// <summary>Appends every delta whose writer still owns its session, in one transaction; the
    /// answer says, per delta in order, whether it was appended (false: fenced out). The fence
    /// comes after the insert, just before the commit (<see cref="SessionFence"/>), so the
    /// sessions' rows are held for two round trips; deltas found fenced out there roll the
    /// transaction back, and the others are appended again without them.</summary>
    public async Task<IReadOnlyList<bool>> AppendAllAsync(IReadOnlyList<StateAppend> appends, CancellationToken cancellationToken = default)
    {
        var appended = appends.Select(_ => true).ToArray();
        while (appended.Contains(true))
        {
            await using var db = contexts.CreateDbContext();
            db.Database.AutoSavepointsEnabled = false; // no savepoint round trips: a failed insert fails the group
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            db.SessionStateDeltas.AddRange(appends.Where((_, i) => appended[i])
                .Select(a => new SessionStateDeltaRecord { TenantId = a.TenantId, SessionId = a.SessionId, Data = a.Data }));
            List<(string, string)> sessions = [.. appends.Where((_, i) => appended[i]).Select(a => (a.TenantId, a.SessionId))];
            List<int> lost;
            try
            {
                await db.SaveChangesAsync(cancellationToken);
                lost = Lost(await SessionFence.HoldAllAsync(db, sessions, cancellationToken));
                if (lost.Count == 0)
                {
                    await transaction.CommitAsync(cancellationToken);
                    break;
                }
                await transaction.RollbackAsync(cancellationToken);
            }
            catch (DbUpdateException exception) when (DbErrors.IsForeignKeyViolation(exception))
            {
                // A session deleted meanwhile: which one is read without the fence.
                await transaction.RollbackAsync(cancellationToken);
                lost = Lost(await SessionFence.ReadAllAsync(db, sessions, cancellationToken));
                if (lost.Count == 0)
                {
                    throw;
                }
            }
            foreach (var i in lost)
            {
                appended[i] = false;
            }
        }
        return appended;

        List<int> Lost(Dictionary<(string TenantId, string SessionId), long> owners) =>
            [.. Enumerable.Range(0, appends.Count).Where(i =>
                appended[i] && !(owners.TryGetValue((appends[i].TenantId, appends[i].SessionId), out var owner) && owner == appends[i].FencingToken))];
    }

    /// <summary>The session's snapshot and the deltas after it; no snapshot and no deltas for a
    /// session that never stored state, was wiped, or does not exist.</summary>
    /// <remarks>Read by a session's new owner after its claim, when no other writer can change them.</remarks>
    public async Task<StoredSessionState> ReadAsync(string tenantId, string sessionId, CancellationToken cancellationToken = default) =>
        (await ReadAllAsync([(tenantId, sessionId)], cancellationToken))[0];

    /// <summary><see cref="ReadAsync"/> for many sessions, in their order: on PostgreSQL two
    /// statements for all of them (a takeover loads hundreds at once), on SQLite two a session.</summary>
    public async Task<IReadOnlyList<StoredSessionState>> ReadAllAsync(
        IReadOnlyList<(string TenantId, string SessionId)> sessions, CancellationToken cancellationToken = default)
    {
        await using var db = contexts.CreateDbContext();
        if (!db.Database.IsNpgsql())
        {
            var one = new List<StoredSessionState>(sessions.Count);
            foreach (var (tenantId, sessionId) in sessions)
            {
                one.Add(await ReadOneAsync(db, tenantId, sessionId, cancellationToken));
            }
            return one;
        }
        var distinct = sessions.Distinct().ToList();
        var tenantIds = distinct.Select(s => s.TenantId).ToArray();
        var sessionIds = distinct.Select(s => s.SessionId).ToArray();
        var heads = await db.Database.SqlQuery<StoredHead>($"""
            SELECT s."TenantId", s."Id" AS "SessionId", s."StateSnapshot", s."StateSnapshotThrough"
            FROM sessions s JOIN unnest({tenantIds}, {sessionIds}) AS k(tenant_id, session_id)
                ON s."TenantId" = k.tenant_id AND s."Id" = k.session_id
            """).ToListAsync(cancellationToken);
        var deltas = (await db.Database.SqlQuery<StoredDeltaRow>($"""
            SELECT d."TenantId", d."SessionId", d."Id", d."Data"
            FROM session_state_deltas d
            JOIN sessions s ON s."TenantId" = d."TenantId" AND s."Id" = d."SessionId"
            JOIN unnest({tenantIds}, {sessionIds}) AS k(tenant_id, session_id)
                ON s."TenantId" = k.tenant_id AND s."Id" = k.session_id
            WHERE d."Id" > s."StateSnapshotThrough"
            ORDER BY d."TenantId", d."SessionId", d."Id"
            """).ToListAsync(cancellationToken))
            .ToLookup(d => (d.TenantId, d.SessionId), d => new StoredStateDelta(d.Id, d.Data));
        var byKey = heads.ToDictionary(h => (h.TenantId, h.SessionId));
        return [.. sessions.Select(key => byKey.TryGetValue(key, out var head)
            ? new StoredSessionState(head.StateSnapshot, head.StateSnapshotThrough, [.. deltas[key]])
            : new StoredSessionState(null, 0, []))];
    }

    private static async Task<StoredSessionState> ReadOneAsync(WagateDbContext db, string tenantId, string sessionId, CancellationToken cancellationToken)
    {
        var head = await db.Sessions.AsNoTracking()
            .Where(s => s.TenantId == tenantId && s.Id == sessionId)
            .Select(s => new { s.StateSnapshot, s.StateSnapshotThrough })
            .SingleOrDefaultAsync(cancellationToken);
        if (head is null)
        {
            return new StoredSessionState(null, 0, []);
        }
        var deltas = await db.SessionStateDeltas.AsNoTracking()
            .Where(d => d.TenantId == tenantId && d.SessionId == sessionId && d.Id > head.StateSnapshotThrough)
            .OrderBy(d => d.Id)
            .Select(d => new StoredStateDelta(d.Id, d.Data))
            .ToListAsync(cancellationToken);
        return new StoredSessionState(head.StateSnapshot, head.StateSnapshotThrough, deltas);
    }

    private sealed class StoredHead
    {
        public required string TenantId { get; set; }
        public required string SessionId { get; set; }
        public string? StateSnapshot { get; set; }
        public long StateSnapshotThrough { get; set; }
    }

    private sealed class StoredDeltaRow
    {
        public required string TenantId { get; set; }
        public required string SessionId { get; set; }
        public long Id { get; set; }
        public required byte[] Data { get; set; }
    }

    /// <summary>Makes <paramref name="snapshot"/> (holding the state through delta
    /// <paramref name="through"/>) the session's snapshot and drops the deltas it holds, if the
    /// writer still owns the session and the snapshot is still <paramref name="from"/> (what the
    /// new one was built from).</summary>
    public async Task<SnapshotChange> ReplaceSnapshotAsync(
        string tenantId, string sessionId, long fencingToken, StoredSessionState from, string snapshot, long through, CancellationToken cancellationToken = default)
    {
        await using var db = contexts.CreateDbContext();
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        if (!await SessionFence.HoldAsync(db, tenantId, sessionId, fencingToken, cancellationToken))
        {
            return SnapshotChange.FencedOut;
        }
        var replaced = await db.Sessions
            .Where(s => s.TenantId == tenantId && s.Id == sessionId && s.StateSnapshot == from.Snapshot && s.StateSnapshotThrough == from.Through)
            .ExecuteUpdateAsync(set => set.SetProperty(s => s.StateSnapshot, snapshot).SetProperty(s => s.StateSnapshotThrough, through), cancellationToken);
        if (replaced == 0)
        {
            return SnapshotChange.Stale;
        }
        await db.SessionStateDeltas
            .Where(d => d.TenantId == tenantId && d.SessionId == sessionId && d.Id <= through)
            .ExecuteDeleteAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return SnapshotChange.Done;
    }

    /// <summary>Forgets the session's state (logout, delete) if the writer still owns it: its
    /// deltas are deleted and its snapshot unset, so the answer names the snapshot blob to delete
    /// (null when there was none). Null with <c>Owned</c> false when another owner has it.</summary>
    public async Task<(bool Owned, string? Snapshot)> WipeAsync(string tenantId, string sessionId, long fencingToken, CancellationToken cancellationToken = default)
    {
        await using var db = contexts.CreateDbContext();
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        if (!await SessionFence.HoldAsync(db, tenantId, sessionId, fencingToken, cancellationToken))
        {
            return (false, null);
        }
        var head = await db.Sessions.AsNoTracking()
            .Where(s => s.TenantId == tenantId && s.Id == sessionId)
            .Select(s => new { s.StateSnapshot, s.StateSnapshotThrough })
            .SingleAsync(cancellationToken);
        var last = await db.SessionStateDeltas
            .Where(d => d.TenantId == tenantId && d.SessionId == sessionId)
            .MaxAsync(d => (long?)d.Id, cancellationToken) ?? head.StateSnapshotThrough;
        // Through moves past the wiped deltas, so a compaction built from before the wipe is stale.
        await db.Sessions
            .Where(s => s.TenantId == tenantId && s.Id == sessionId)
            .ExecuteUpdateAsync(set => set.SetProperty(s => s.StateSnapshot, (string?)null).SetProperty(s => s.StateSnapshotThrough, Math.Max(last, head.StateSnapshotThrough)), cancellationToken);
        await db.SessionStateDeltas
            .Where(d => d.TenantId == tenantId && d.SessionId == sessionId)
            .ExecuteDeleteAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return (true, head.StateSnapshot);
    }
}
