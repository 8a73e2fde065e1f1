using Microsoft.EntityFrameworkCore;

namespace Wagate.Data.Messages;

/// <summary>The check every fenced write makes first, in its own transaction: does the session
/// still belong to this fencing token?</summary>
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
}
