using Microsoft.EntityFrameworkCore;

namespace Wagate.Data.Messages;

/// <summary>Claims of sessions by their new owners' fencing tokens: a claim raises
/// sessions.OwnerToken to its token unless a larger one is there, in one statement, so raising
/// the token and comparing it cannot be split by another claim. Equal tokens pass, so an owner
/// that claims again (after a retry) still owns.</summary>
internal static class SessionClaims
{
    public sealed record Claim(string TenantId, string SessionId, long FencingToken);

    /// <summary>Whether each claim, in order, now owns its session (false: a larger token owns it,
    /// or the session does not exist). On PostgreSQL a group is one statement: the rows locked in
    /// key order first, as the fences lock them (an UPDATE alone locks in whatever order its join
    /// runs, which could deadlock with a fence), then raised; on SQLite one statement a claim.</summary>
    public static async Task<bool[]> ClaimAllAsync(WagateDbContext db, IReadOnlyList<Claim> claims)
    {
        var owned = new bool[claims.Count];
        if (!db.Database.IsNpgsql())
        {
            for (var i = 0; i < claims.Count; i++)
            {
                var (tenantId, sessionId, token) = claims[i];
                owned[i] = await db.Sessions
                    .Where(s => s.TenantId == tenantId && s.Id == sessionId && s.OwnerToken <= token)
                    .ExecuteUpdateAsync(set => set.SetProperty(s => s.OwnerToken, token)) == 1;
            }
            return owned;
        }
        // One row a session, with the largest token claimed for it: an UPDATE ... FROM applies one
        // of several matching rows, and a smaller token of the same group loses to the larger anyway.
        var largest = claims
            .GroupBy(c => (c.TenantId, c.SessionId))
            .Select(g => g.MaxBy(c => c.FencingToken)!)
            .OrderBy(c => c.TenantId, StringComparer.Ordinal).ThenBy(c => c.SessionId, StringComparer.Ordinal)
            .ToList();
        var tenantIds = largest.Select(c => c.TenantId).ToArray();
        var sessionIds = largest.Select(c => c.SessionId).ToArray();
        var tokens = largest.Select(c => c.FencingToken).ToArray();
        var claimed = await db.Database.SqlQuery<ClaimedSession>($"""
            WITH locked AS (
                SELECT s."TenantId", s."Id", c.token FROM sessions s
                JOIN unnest({tenantIds}, {sessionIds}, {tokens}) AS c(tenant_id, session_id, token)
                    ON s."TenantId" = c.tenant_id AND s."Id" = c.session_id
                ORDER BY s."TenantId", s."Id"
                FOR NO KEY UPDATE OF s
            )
            UPDATE sessions AS s SET "OwnerToken" = l.token
            FROM locked l
            WHERE s."TenantId" = l."TenantId" AND s."Id" = l."Id" AND s."OwnerToken" <= l.token
            RETURNING s."TenantId", s."Id", s."OwnerToken"
            """).ToListAsync();
        var owners = claimed.ToDictionary(c => (c.TenantId, c.Id), c => c.OwnerToken);
        for (var i = 0; i < claims.Count; i++)
        {
            owned[i] = owners.TryGetValue((claims[i].TenantId, claims[i].SessionId), out var owner) && owner == claims[i].FencingToken;
        }
        return owned;
    }

    private sealed class ClaimedSession
    {
        public required string TenantId { get; set; }
        public required string Id { get; set; }
        public long OwnerToken { get; set; }
    }
}
