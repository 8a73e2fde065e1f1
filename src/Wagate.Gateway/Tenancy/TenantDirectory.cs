using Google.Protobuf.WellKnownTypes;
using Microsoft.EntityFrameworkCore;
using Wagate.Contracts.Tenant.V1;
using Wagate.Core;
using Wagate.Data;
using Wagate.Data.Entities;
using Wagate.Gateway.Common;
using Wagate.Gateway.Errors;

namespace Wagate.Gateway.Tenancy;

/// <summary>Reads tenants and their usage, and suspends or resumes them.</summary>
public sealed class TenantDirectory(WagateDbContext db, TimeProvider clock)
{
    public async Task<Tenant> GetAsync(string tenantId, CancellationToken cancellationToken) =>
        (await FindAsync(tenantId, cancellationToken)).ToProto();

    /// <summary>Oldest first, so new tenants append to the end of a paged walk.</summary>
    public async Task<(IReadOnlyList<Tenant> Tenants, string NextPageToken)> ListAsync(
        int pageSize, string pageToken, CancellationToken cancellationToken)
    {
        var after = Paging.After(pageToken);
        var size = Paging.Size(pageSize);
        var query = db.Tenants.AsNoTracking();
        if (after is not null)
        {
            query = query.Where(t => t.Id.CompareTo(after) > 0);
        }
        var rows = await query.OrderBy(t => t.Id).Take(size + 1).ToListAsync(cancellationToken);
        var next = rows.Count > size ? Paging.Token(rows[size - 1].Id) : "";
        return (rows.Take(size).Select(t => t.ToProto()).ToList(), next);
    }

    public async Task<Tenant> SuspendAsync(string tenantId, string reason, CancellationToken cancellationToken)
    {
        var tenant = await FindAsync(tenantId, cancellationToken);
        if (await db.Users.AnyAsync(u => u.TenantId == tenantId && u.PlatformAdmin, cancellationToken))
        {
            throw ApiErrors.FailedPrecondition(ErrorReason.AdminOnly,
                "The tenant of a platform administrator cannot be suspended.");
        }
        tenant.State = TenantState.Suspended;
        tenant.SuspendReason = reason.Trim();
        tenant.UpdateTime = clock.GetUtcNow().UtcDateTime;
        await db.SaveChangesAsync(cancellationToken);
        return tenant.ToProto();
    }

    public async Task<Tenant> ResumeAsync(string tenantId, CancellationToken cancellationToken)
    {
        var tenant = await FindAsync(tenantId, cancellationToken);
        tenant.State = TenantState.Active;
        tenant.SuspendReason = "";
        tenant.UpdateTime = clock.GetUtcNow().UtcDateTime;
        await db.SaveChangesAsync(cancellationToken);
        return tenant.ToProto();
    }

    public async Task<TenantUsage> GetUsageAsync(string tenantId, CancellationToken cancellationToken)
    {
        var tenant = await FindAsync(tenantId, cancellationToken);
        return new TenantUsage
        {
            Name = ResourceNames.TenantUsage(tenantId),
            Plan = tenant.Plan.ToProto(),
            ApiKeyCount = await db.ApiKeys.CountAsync(k => k.TenantId == tenantId, cancellationToken),
            ApiKeyLimit = PlanLimits.ApiKeys(tenant.Plan),
            MemberCount = await db.Users.CountAsync(u => u.TenantId == tenantId, cancellationToken),
            SessionCount = await db.Sessions.CountAsync(s => s.TenantId == tenantId, cancellationToken),
            SessionLimit = PlanLimits.Sessions(tenant.Plan),
            ReadTime = Timestamp.FromDateTimeOffset(clock.GetUtcNow()),
        };
    }

    private async Task<TenantRecord> FindAsync(string tenantId, CancellationToken cancellationToken) =>
        await db.Tenants.SingleOrDefaultAsync(t => t.Id == tenantId, cancellationToken)
        ?? throw ApiErrors.NotFound(ResourceNames.Tenant(tenantId));
}
