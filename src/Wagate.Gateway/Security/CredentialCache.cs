using Wagate.Data.Accounts;
using Wagate.Gateway.Common;

namespace Wagate.Gateway.Security;

/// <summary>API keys and users as last read from the database, with their tenant's state, for at
/// most <see cref="Freshness"/> (<see cref="FreshReads{TValue}"/>): a busy key was read on every
/// call, the largest part of an accepted send. What changes a credential on this replica
/// (revoking a key, suspending or resuming a tenant) forgets the tenant's entries at once;
/// another replica sees the change within <see cref="Freshness"/>.</summary>
public sealed class CredentialCache(TimeProvider clock)
{
    public static readonly TimeSpan Freshness = TimeSpan.FromSeconds(2);

    private readonly FreshReads<ApiKeyCredential> _keys = new(clock, Freshness, found => found.Key.TenantId);
    private readonly FreshReads<UserCredential> _users = new(clock, Freshness, found => found.User.TenantId);

    /// <summary>The key with public prefix <paramref name="prefix"/>, from <paramref name="read"/> when not fresh here.</summary>
    public Task<ApiKeyCredential?> ApiKeyAsync(string prefix, Func<Task<ApiKeyCredential?>> read) => _keys.GetAsync(prefix, read);

    /// <summary>The user <paramref name="userId"/>, from <paramref name="read"/> when not fresh here.</summary>
    public Task<UserCredential?> UserAsync(string userId, Func<Task<UserCredential?>> read) => _users.GetAsync(userId, read);

    /// <summary>The tenant's keys or users changed, or its state did: read them again.</summary>
    public void ForgetTenant(string tenantId)
    {
        _keys.ForgetTenant(tenantId);
        _users.ForgetTenant(tenantId);
    }
}
