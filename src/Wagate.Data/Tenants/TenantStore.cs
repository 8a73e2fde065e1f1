using Microsoft.EntityFrameworkCore;
using Wagate.Data.Entities;

namespace Wagate.Data.Tenants;

/// <summary>Tenants as the gateway reads and administers them: the row, its plan, its state, and
/// the counts its plan limits. Tenants come into being with their first user
/// (<see cref="Accounts.AccountStore.AddTenantWithOwnerAsync"/>); their event cursor is the event
/// log's to raise. Every query is scoped to one tenant, except <see cref="ListAsync"/> and
/// <see cref="CountAllAsync"/>, which serve the platform's administrators.</summary>
public sealed class TenantStore(WagateDbContext db)
{
    public Task<TenantRecord?> GetAsync(string tenantId, CancellationToken cancellationToken = default) =>
        db.Tenants.AsNoTracking().SingleOrDefaultAsync(t => t.Id == tenantId, cancellationToken);

    /// <summary>The plan of a tenant that exists (the caller's own); a missing tenant is a bug,
    /// not an answer.</summary>
    public Task<TenantPlan> PlanOfAsync(string tenantId, CancellationToken cancellationToken = default) =>
        db.Tenants.Where(t => t.Id == tenantId).Select(t => t.Plan).SingleAsync(cancellationToken);

    /// <summary>Every tenant in id order (oldest first: ids are time-ordered), after <paramref name="afterId"/>.</summary>
    public Task<RecordPage<TenantRecord>> ListAsync(string? afterId, int pageSize, CancellationToken cancellationToken = default)
    {
        var query = db.Tenants.AsNoTracking();
        if (afterId is not null)
        {
            query = query.Where(t => t.Id.CompareTo(afterId) > 0);
        }
        return RecordPages.ReadAsync(query.OrderBy(t => t.Id), pageSize, t => t.Id, cancellationToken);
    }

    /// <summary>Sets the tenant's state and suspend reason as of <paramref name="time"/>. Only
    /// those columns are written: the event cursor in the same row moves under concurrent
    /// appends and is left as it is.</summary>
    /// <returns>The row as written, or null when there is no such tenant.</returns>
    public async Task<TenantRecord?> SetStateAsync(
        string tenantId, TenantState state, string suspendReason, DateTime time, CancellationToken cancellationToken = default)
    {
        var tenant = await db.Tenants.AsTracking().SingleOrDefaultAsync(t => t.Id == tenantId, cancellationToken);
        if (tenant is null)
        {
            return null;
        }
        tenant.State = state;
        tenant.SuspendReason = suspendReason;
        tenant.UpdateTime = time;
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        finally
        {
            db.Entry(tenant).State = EntityState.Detached;
        }
        return tenant;
    }

    /// <summary>What the tenant has of what its plan limits, and its members.</summary>
    public async Task<TenantCounts> CountAsync(string tenantId, CancellationToken cancellationToken = default) => new(
        ApiKeys: await db.ApiKeys.CountAsync(k => k.TenantId == tenantId, cancellationToken),
        Members: await db.Users.CountAsync(u => u.TenantId == tenantId, cancellationToken),
        Sessions: await db.Sessions.CountAsync(s => s.TenantId == tenantId, cancellationToken));

    public Task<int> CountAllAsync(CancellationToken cancellationToken = default) => db.Tenants.CountAsync(cancellationToken);
}

/// <summary>How many API keys, members and sessions one tenant has.</summary>
public sealed record TenantCounts(int ApiKeys, int Members, int Sessions);
