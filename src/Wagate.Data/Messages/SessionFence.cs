using Microsoft.EntityFrameworkCore;

namespace Wagate.Data.Messages;

/// <summary>The check every fenced write makes in its own transaction (single writes first, group
/// writers last, see <see cref="HoldAllAsync"/>): does the session still belong to this fencing
/// token?</summary>
internal static class SessionFence
{
    /// <summary>True when the session's owner token is <paramref name="fencingToken"/>; the
    /// answer then holds until the transaction ends. On PostgreSQL the row is locked FOR NO KEY
    /// UPDATE: a claim by a newer token (an UPDATE of the row) waits for this transaction to
    /// finish, and a write that starts after such a claim committed sees the new token and is
    /// refused. So every write is either wholly before the claim, where the new owner sees it,
    /// or refused. Not FOR SHARE: overlapping share locks of a busy old owner would starve the
    /// claim, as share lockers join the holders without queueing behind a waiting UPDATE. The
    /// lock still lets messages be inserted meanwhile (their foreign key takes FOR KEY SHARE),
    /// and a session's writes queue on the tenant's cursor row anyway.
    /// On SQLite the transaction already holds the database's one write lock (BEGIN IMMEDIATE),
    /// so no claim can slip in.</summary>
    public static async Task<bool> HoldAsync(
        WagateDbContext db, string tenantId, string sessionId, long fencingToken, CancellationToken cancellationToken)
    {
        if (db.Database.CurrentTransaction is null)
        {
            throw new InvalidOperationException("The fence holds for a transaction only.");
        }
        var owned = db.Database.IsNpgsql()
            ? await db.Database.SqlQuery<int>($"""
                SELECT 1 AS "Value" FROM sessions
                WHERE "TenantId" = {tenantId} AND "Id" = {sessionId} AND "OwnerToken" = {fencingToken}
                FOR NO KEY UPDATE
                """).ToListAsync(cancellationToken)
            : await db.Database.SqlQuery<int>($"""
                SELECT 1 AS "Value" FROM sessions
                WHERE "TenantId" = {tenantId} AND "Id" = {sessionId} AND "OwnerToken" = {fencingToken}
                """).ToListAsync(cancellationToken);
        return owned.Count == 1;
    }

    /// <summary>The owner token of each of <paramref name="sessions"/>, their rows held until the
    /// transaction ends as <see cref="HoldAsync"/> holds one: on PostgreSQL in one statement for
    /// the whole group, locked FOR NO KEY UPDATE in key order (so that two groups never wait for
    /// each other in a cycle); on SQLite the transaction holds the database's write lock already.
    /// Sessions that do not exist (any more) are absent.</summary>
    /// <remarks>The group writers (the message ledger, the state log) take it last, after their
    /// writes and just before the commit, and lock nothing after it: every writer of a worker's
    /// sessions needs these rows, and held from the first statement they made the writers take
    /// turns for the length of each transaction (a sampling of pg_stat_activity during the send
    /// benchmark found most backends waiting on them). The guarantee is the same either way: a
    /// claim committed before the fence is seen there and the transaction is rolled back, and
    /// one that comes after waits for the commit. A writer that finds some of its sessions
    /// fenced out rolls back and writes again without them.</remarks>
    public static async Task<Dictionary<(string TenantId, string SessionId), long>> HoldAllAsync(
        WagateDbContext db, IReadOnlyCollection<(string TenantId, string SessionId)> sessions, CancellationToken cancellationToken)
    {
        if (db.Database.CurrentTransaction is null)
        {
            throw new InvalidOperationException("The fence holds for a transaction only.");
        }
        var distinct = sessions.Distinct().ToList();
        if (!db.Database.IsNpgsql())
        {
            return await ReadAllAsync(db, distinct, cancellationToken);
        }
        var tenantIds = distinct.Select(s => s.TenantId).ToArray();
        var sessionIds = distinct.Select(s => s.SessionId).ToArray();
        var owners = await db.Database.SqlQuery<SessionOwner>($"""
            SELECT s."TenantId", s."Id", s."OwnerToken" FROM sessions s
            JOIN unnest({tenantIds}, {sessionIds}) AS k(tenant_id, session_id) ON s."TenantId" = k.tenant_id AND s."Id" = k.session_id
            ORDER BY s."TenantId", s."Id"
            FOR NO KEY UPDATE OF s
            """).ToListAsync(cancellationToken);
        return owners.ToDictionary(o => (o.TenantId, o.Id), o => o.OwnerToken);
    }

    /// <summary>The owner token of each of <paramref name="sessions"/> as last committed, holding
    /// nothing: how a group whose insert failed on a foreign key tells which of its sessions was
    /// deleted meanwhile. Sessions that do not exist (any more) are absent.</summary>
    public static async Task<Dictionary<(string TenantId, string SessionId), long>> ReadAllAsync(
        WagateDbContext db, IReadOnlyCollection<(string TenantId, string SessionId)> sessions, CancellationToken cancellationToken)
    {
        var tenantIds = sessions.Select(s => s.TenantId).Distinct().ToList();
        var sessionIds = sessions.Select(s => s.SessionId).Distinct().ToList();
        // Every pair of the two lists: a superset of the sessions asked for, looked up by key.
        var owners = await db.Sessions.AsNoTracking()
            .Where(s => tenantIds.Contains(s.TenantId) && sessionIds.Contains(s.Id))
            .Select(s => new SessionOwner { TenantId = s.TenantId, Id = s.Id, OwnerToken = s.OwnerToken })
            .ToListAsync(cancellationToken);
        return owners.ToDictionary(o => (o.TenantId, o.Id), o => o.OwnerToken);
    }

    private sealed class SessionOwner
    {
        public required string TenantId { get; set; }
        public required string Id { get; set; }
        public long OwnerToken { get; set; }
    }
}
