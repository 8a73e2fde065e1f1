using Microsoft.EntityFrameworkCore;
using Wagate.Data.Entities;

namespace Wagate.Data.Accounts;

/// <summary>Who may call the API: users, who sign in, and API keys, of which only a hash of the
/// secret is kept. Every query is scoped to one tenant, except the ones that find the tenant in
/// the first place: the lookups of a credential (a user by email or by id, an API key by its
/// public prefix) and the email check, as emails are unique across the platform. Those answer
/// with the tenant's state, so a caller of a suspended tenant is refused at once.</summary>
public sealed class AccountStore(WagateDbContext db)
{
    /// <param name="email">Normalised, as stored.</param>
    public Task<bool> EmailTakenAsync(string email, CancellationToken cancellationToken = default) =>
        db.Users.AnyAsync(u => u.Email == email, cancellationToken);

    /// <summary>Stores a new tenant, its first user and, when given, its first API key, all in
    /// one SaveChanges: either all of them exist afterwards or none does.</summary>
    /// <returns>False, having written nothing, when the email is taken (or, as unlikely as a
    /// random collision can be, the key's prefix): of concurrent registrations of one email,
    /// exactly one wins on the unique index.</returns>
    public Task<bool> AddTenantWithOwnerAsync(
        TenantRecord tenant, UserRecord owner, ApiKeyRecord? apiKey, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(tenant);
        ArgumentNullException.ThrowIfNull(owner);
        return Inserts.TryAddAsync(db, apiKey is null ? [tenant, owner] : [tenant, owner, apiKey], cancellationToken);
    }

    /// <summary>The user who signs in with <paramref name="email"/> (normalised), if any.</summary>
    public Task<UserCredential?> FindUserByEmailAsync(string email, CancellationToken cancellationToken = default) =>
        UsersWithTenantState(db.Users.Where(u => u.Email == email)).SingleOrDefaultAsync(cancellationToken);

    /// <summary>The user an access token names, if the user still exists.</summary>
    public Task<UserCredential?> FindUserByIdAsync(string userId, CancellationToken cancellationToken = default) =>
        UsersWithTenantState(db.Users.Where(u => u.Id == userId)).SingleOrDefaultAsync(cancellationToken);

    public Task<UserRecord?> GetUserAsync(string tenantId, string userId, CancellationToken cancellationToken = default) =>
        db.Users.AsNoTracking().SingleOrDefaultAsync(u => u.TenantId == tenantId && u.Id == userId, cancellationToken);

    public Task<bool> HasPlatformAdminAsync(string tenantId, CancellationToken cancellationToken = default) =>
        db.Users.AnyAsync(u => u.TenantId == tenantId && u.PlatformAdmin, cancellationToken);

    /// <returns>False when the tenant has no such user.</returns>
    public async Task<bool> MakePlatformAdminAsync(string tenantId, string userId, CancellationToken cancellationToken = default) =>
        await db.Users.Where(u => u.TenantId == tenantId && u.Id == userId)
            .ExecuteUpdateAsync(set => set.SetProperty(u => u.PlatformAdmin, true), cancellationToken) == 1;

    /// <summary>The API key whose public prefix is <paramref name="prefix"/>, if any: the caller
    /// still compares the secret's hash.</summary>
    public Task<ApiKeyCredential?> FindApiKeyByPrefixAsync(string prefix, CancellationToken cancellationToken = default) =>
        (from k in db.ApiKeys.AsNoTracking()
         join t in db.Tenants on k.TenantId equals t.Id
         where k.Prefix == prefix
         select new ApiKeyCredential(k, t.State)).SingleOrDefaultAsync(cancellationToken);

    public Task<int> CountApiKeysAsync(string tenantId, CancellationToken cancellationToken = default) =>
        db.ApiKeys.CountAsync(k => k.TenantId == tenantId, cancellationToken);

    public async Task AddApiKeyAsync(ApiKeyRecord apiKey, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(apiKey);
        db.ApiKeys.Add(apiKey);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        finally
        {
            db.Entry(apiKey).State = EntityState.Detached;
        }
    }

    /// <summary>The tenant's API keys newest first (ids are time-ordered), before <paramref name="beforeId"/>.</summary>
    public Task<RecordPage<ApiKeyRecord>> ListApiKeysAsync(string tenantId, string? beforeId, int pageSize, CancellationToken cancellationToken = default)
    {
        var query = db.ApiKeys.AsNoTracking().Where(k => k.TenantId == tenantId);
        if (beforeId is not null)
        {
            query = query.Where(k => k.Id.CompareTo(beforeId) < 0);
        }
        return RecordPages.ReadAsync(query.OrderByDescending(k => k.Id), pageSize, k => k.Id, cancellationToken);
    }

    /// <returns>False when the tenant has no such key.</returns>
    public async Task<bool> DeleteApiKeyAsync(string tenantId, string apiKeyId, CancellationToken cancellationToken = default) =>
        await db.ApiKeys.Where(k => k.TenantId == tenantId && k.Id == apiKeyId).ExecuteDeleteAsync(cancellationToken) == 1;

    /// <summary>Sets when the key was last used.</summary>
    /// <returns>False when the tenant has no such key.</returns>
    public async Task<bool> RecordApiKeyUseAsync(string tenantId, string apiKeyId, DateTime time, CancellationToken cancellationToken = default) =>
        await db.ApiKeys.Where(k => k.TenantId == tenantId && k.Id == apiKeyId)
            .ExecuteUpdateAsync(set => set.SetProperty(k => k.LastUseTime, time), cancellationToken) == 1;

    private IQueryable<UserCredential> UsersWithTenantState(IQueryable<UserRecord> users) =>
        from u in users.AsNoTracking()
        join t in db.Tenants on u.TenantId equals t.Id
        select new UserCredential(u, t.State);
}

/// <summary>A user found by a credential, with the state of the user's tenant.</summary>
public sealed record UserCredential(UserRecord User, TenantState TenantState);

/// <summary>An API key found by its prefix, with the state of its tenant.</summary>
public sealed record ApiKeyCredential(ApiKeyRecord Key, TenantState TenantState);
