using Microsoft.EntityFrameworkCore;
using Wagate.Core;
using Wagate.Data;
using Wagate.Data.Entities;
using Wagate.Gateway.Common;
using Wagate.Gateway.Errors;
using Wagate.Gateway.Security;
using ApiKey = Wagate.Contracts.Tenant.V1.ApiKey;

namespace Wagate.Gateway.Tenancy;

/// <summary>Creates, lists and revokes API keys, always within one tenant.</summary>
public sealed class ApiKeyIssuer(WagateDbContext db, TimeProvider clock)
{
    /// <summary>Adds a new key to the context without saving, so registration can commit it
    /// together with the user and tenant. The returned message is the only copy of the secret.</summary>
    public ApiKey Add(string tenantId, string creatorUserId, string displayName, IEnumerable<string> scopes)
    {
        var (key, prefix, hash) = ApiKeySecrets.Create();
        var record = new ApiKeyRecord
        {
            Id = Ids.NewApiKeyId(),
            TenantId = tenantId,
            DisplayName = displayName.Trim(),
            Prefix = prefix,
            SecretHash = hash,
            Scopes = Scopes.Join(scopes),
            CreatorUserId = creatorUserId,
            CreateTime = clock.GetUtcNow().UtcDateTime,
        };
        db.ApiKeys.Add(record);
        var proto = record.ToProto();
        proto.Key = key;
        return proto;
    }

    public async Task<ApiKey> CreateAsync(
        string tenantId, string creatorUserId, ApiKey request, CancellationToken cancellationToken)
    {
        var plan = await db.Tenants.Where(t => t.Id == tenantId).Select(t => t.Plan).SingleAsync(cancellationToken);
        var count = await db.ApiKeys.CountAsync(k => k.TenantId == tenantId, cancellationToken);
        var limit = PlanLimits.ApiKeys(plan);
        if (count >= limit)
        {
            throw ApiErrors.QuotaExceeded(ResourceNames.Tenant(tenantId), $"at most {limit} API keys on this plan",
                $"The tenant already has {count} API keys, the most its plan allows; delete one first.");
        }
        var created = Add(tenantId, creatorUserId, request.DisplayName, request.Scopes);
        await db.SaveChangesAsync(cancellationToken);
        return created;
    }

    /// <summary>Newest first.</summary>
    public async Task<(IReadOnlyList<ApiKey> Keys, string NextPageToken)> ListAsync(
        string tenantId, int pageSize, string pageToken, CancellationToken cancellationToken)
    {
        var after = Paging.After(pageToken);
        var size = Paging.Size(pageSize);
        var query = db.ApiKeys.AsNoTracking().Where(k => k.TenantId == tenantId);
        if (after is not null)
        {
            query = query.Where(k => k.Id.CompareTo(after) < 0);
        }
        var rows = await query.OrderByDescending(k => k.Id).Take(size + 1).ToListAsync(cancellationToken);
        var next = rows.Count > size ? Paging.Token(rows[size - 1].Id) : "";
        return (rows.Take(size).Select(k => k.ToProto()).ToList(), next);
    }

    public async Task DeleteAsync(string tenantId, string keyId, CancellationToken cancellationToken)
    {
        var deleted = await db.ApiKeys.Where(k => k.TenantId == tenantId && k.Id == keyId)
            .ExecuteDeleteAsync(cancellationToken);
        if (deleted == 0)
        {
            throw ApiErrors.NotFound(ResourceNames.ApiKey(tenantId, keyId));
        }
    }
}
