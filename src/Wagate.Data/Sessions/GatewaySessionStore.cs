using Microsoft.EntityFrameworkCore;
using Wagate.Core;
using Wagate.Data.Entities;
using SessionState = Wagate.Contracts.Session.V1.Session.Types.State;

namespace Wagate.Data.Sessions;

/// <summary>The gateway's side of the sessions table: the sessions a tenant declares (add, read,
/// list, delete). Its state is never written here: the session's owner is its one writer, fenced,
/// through the workers' ledger (<see cref="Messages.IWorkerMessageLedger.RecordSessionEventAsync"/>),
/// a logout included. Every query is scoped
/// to one tenant, except <see cref="ListAcrossTenantsAsync"/> and <see cref="CountAllAsync"/>,
/// which serve the platform as a whole: resuming at start and the administrators' counts.</summary>
public sealed class GatewaySessionStore(WagateDbContext db)
{
    /// <summary>Stores a new session row as given.</summary>
    /// <returns>False when the tenant already has a session with this id (the unique key decides,
    /// so of concurrent adds exactly one wins).</returns>
    public Task<bool> AddAsync(SessionRecord session, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(session);
        return Inserts.TryAddAsync(db, [session], cancellationToken);
    }

    public Task<SessionRecord?> GetAsync(string tenantId, string sessionId, CancellationToken cancellationToken = default) =>
        db.Sessions.AsNoTracking().SingleOrDefaultAsync(s => s.TenantId == tenantId && s.Id == sessionId, cancellationToken);

    public Task<bool> ExistsAsync(string tenantId, string sessionId, CancellationToken cancellationToken = default) =>
        db.Sessions.AnyAsync(s => s.TenantId == tenantId && s.Id == sessionId, cancellationToken);

    public Task<int> CountAsync(string tenantId, CancellationToken cancellationToken = default) =>
        db.Sessions.CountAsync(s => s.TenantId == tenantId, cancellationToken);

    /// <summary>The plan of the session's tenant, which sets what the session may send; null when
    /// the tenant has no such session. One query, as every send asks.</summary>
    public Task<TenantPlan?> PlanOfAsync(string tenantId, string sessionId, CancellationToken cancellationToken = default) =>
        db.Sessions.AsNoTracking()
            .Where(s => s.TenantId == tenantId && s.Id == sessionId)
            .Join(db.Tenants, s => s.TenantId, t => t.Id, (s, t) => (TenantPlan?)t.Plan)
            .SingleOrDefaultAsync(cancellationToken);

    /// <summary>The tenant's sessions in id order, after <paramref name="afterId"/>.</summary>
    public Task<RecordPage<SessionRecord>> ListAsync(string tenantId, string? afterId, int pageSize, CancellationToken cancellationToken = default)
    {
        var query = db.Sessions.AsNoTracking().Where(s => s.TenantId == tenantId);
        if (afterId is not null)
        {
            query = query.Where(s => s.Id.CompareTo(afterId) > 0);
        }
        return RecordPages.ReadAsync(query.OrderBy(s => s.Id), pageSize, s => s.Id, cancellationToken);
    }

    /// <summary>Deletes the session with its messages (the foreign keys cascade).</summary>
    /// <returns>False when the tenant has no such session.</returns>
    public async Task<bool> DeleteAsync(string tenantId, string sessionId, CancellationToken cancellationToken = default) =>
        await db.Sessions.Where(s => s.TenantId == tenantId && s.Id == sessionId).ExecuteDeleteAsync(cancellationToken) == 1;

    /// <summary>Every tenant's sessions whose stored state is none of <paramref name="exceptStates"/>.</summary>
    public async Task<IReadOnlyList<SessionRecord>> ListAcrossTenantsAsync(
        IReadOnlyCollection<SessionState> exceptStates, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(exceptStates);
        var excluded = exceptStates.Select(s => (int)s).ToArray();
        return await db.Sessions.AsNoTracking().Where(s => !excluded.Contains(s.State)).ToListAsync(cancellationToken);
    }

    /// <summary>Sessions of every tenant.</summary>
    public Task<int> CountAllAsync(CancellationToken cancellationToken = default) => db.Sessions.CountAsync(cancellationToken);
}
