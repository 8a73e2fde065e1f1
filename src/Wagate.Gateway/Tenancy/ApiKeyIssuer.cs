using Wagate.Core;
using Wagate.Data.Accounts;
using Wagate.Data.Entities;
using Wagate.Data.Tenants;
using Wagate.Gateway.Common;
using Wagate.Gateway.Errors;
using Wagate.Gateway.Security;
using ApiKey = Wagate.Contracts.Tenant.V1.ApiKey;

namespace Wagate.Gateway.Tenancy;

/// <summary>Creates, lists and revokes API keys, always within one tenant.</summary>
public sealed class ApiKeyIssuer(AccountStore accounts, TenantStore tenants, CredentialCache credentials, TimeProvider clock)
{
    /// <summary>A new key, not stored yet, so registration can store it together with the user
    /// and tenant. <c>Shown</c> is the only copy of the secret.</summary>
    public (ApiKeyRecord Record, ApiKey Shown) New(string tenantId, string creatorUserId, string displayName, IEnumerable<string> scopes)
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
        var shown = record.ToProto();
        shown.Key = key;
        return (record, shown);
    }

    public async Task<ApiKey> CreateAsync(
        string tenantId, string creatorUserId, ApiKey request, CancellationToken cancellationToken)
    {
        var plan = await tenants.PlanOfAsync(tenantId, cancellationToken);
        var count = await accounts.CountApiKeysAsync(tenantId, cancellationToken);
        var limit = PlanLimits.ApiKeys(plan);
        if (count >= limit)
        {
            throw ApiErrors.QuotaExceeded(ResourceNames.Tenant(tenantId), $"at most {limit} API keys on this plan",
                $"The tenant already has {count} API keys, the most its plan allows; delete one first.");
        }
        var (record, shown) = New(tenantId, creatorUserId, request.DisplayName, request.Scopes);
        await accounts.AddApiKeyAsync(record, cancellationToken);
        return shown;
    }

    /// <summary>Newest first.</summary>
    public async Task<(IReadOnlyList<ApiKey> Keys, string NextPageToken)> ListAsync(
        string tenantId, int pageSize, string pageToken, CancellationToken cancellationToken)
    {
        var page = await accounts.ListApiKeysAsync(tenantId, Paging.After(pageToken), Paging.Size(pageSize), cancellationToken);
        return (page.Items.Select(k => k.ToProto()).ToList(), Paging.NextToken(page));
    }

    public async Task DeleteAsync(string tenantId, string keyId, CancellationToken cancellationToken)
    {
        if (!await accounts.DeleteApiKeyAsync(tenantId, keyId, cancellationToken))
        {
            throw ApiErrors.NotFound(ResourceNames.ApiKey(tenantId, keyId));
        }
        credentials.ForgetTenant(tenantId);
    }
}
