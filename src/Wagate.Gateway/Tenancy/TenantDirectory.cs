using Google.Protobuf.WellKnownTypes;
using Wagate.Contracts.Tenant.V1;
using Wagate.Core;
using Wagate.Data.Accounts;
using Wagate.Data.Entities;
using Wagate.Data.Tenants;
using Wagate.Gateway.Common;
using Wagate.Gateway.Errors;
using Wagate.Gateway.Security;

namespace Wagate.Gateway.Tenancy;

/// <summary>Reads tenants and their usage, and suspends or resumes them.</summary>
public sealed class TenantDirectory(TenantStore tenants, AccountStore accounts, CredentialCache credentials, TimeProvider clock)
{
    public async Task<Tenant> GetAsync(string tenantId, CancellationToken cancellationToken) =>
        (await FindAsync(tenantId, cancellationToken)).ToProto();

    /// <summary>Oldest first, so new tenants append to the end of a paged walk.</summary>
    public async Task<(IReadOnlyList<Tenant> Tenants, string NextPageToken)> ListAsync(
        int pageSize, string pageToken, CancellationToken cancellationToken)
    {
        var page = await tenants.ListAsync(Paging.After(pageToken), Paging.Size(pageSize), cancellationToken);
        return (page.Items.Select(t => t.ToProto()).ToList(), Paging.NextToken(page));
    }

    public async Task<Tenant> SuspendAsync(string tenantId, string reason, CancellationToken cancellationToken)
    {
        // A tenant that does not exist has no users, so it passes this check and is NOT_FOUND below.
        if (await accounts.HasPlatformAdminAsync(tenantId, cancellationToken))
        {
            throw ApiErrors.FailedPrecondition(ErrorReason.AdminOnly,
                "The tenant of a platform administrator cannot be suspended.");
        }
        return await SetStateAsync(tenantId, TenantState.Suspended, reason.Trim(), cancellationToken);
    }

    public Task<Tenant> ResumeAsync(string tenantId, CancellationToken cancellationToken) =>
        SetStateAsync(tenantId, TenantState.Active, "", cancellationToken);

    public async Task<TenantUsage> GetUsageAsync(string tenantId, CancellationToken cancellationToken)
    {
        var tenant = await FindAsync(tenantId, cancellationToken);
        var counts = await tenants.CountAsync(tenantId, cancellationToken);
        return new TenantUsage
        {
            Name = ResourceNames.TenantUsage(tenantId),
            Plan = tenant.Plan.ToProto(),
            ApiKeyCount = counts.ApiKeys,
            ApiKeyLimit = PlanLimits.ApiKeys(tenant.Plan),
            MemberCount = counts.Members,
            SessionCount = counts.Sessions,
            SessionLimit = PlanLimits.Sessions(tenant.Plan),
            ReadTime = Timestamp.FromDateTimeOffset(clock.GetUtcNow()),
        };
    }

    private async Task<Tenant> SetStateAsync(string tenantId, TenantState state, string reason, CancellationToken cancellationToken)
    {
        var changed = await tenants.SetStateAsync(tenantId, state, reason, clock.GetUtcNow().UtcDateTime, cancellationToken) ?? throw NotFound(tenantId);
        credentials.ForgetTenant(tenantId); // its callers' next calls see the new state
        return changed.ToProto();
    }

    private async Task<TenantRecord> FindAsync(string tenantId, CancellationToken cancellationToken) =>
        await tenants.GetAsync(tenantId, cancellationToken) ?? throw NotFound(tenantId);

    private static Grpc.Core.RpcException NotFound(string tenantId) => ApiErrors.NotFound(ResourceNames.Tenant(tenantId));
}
