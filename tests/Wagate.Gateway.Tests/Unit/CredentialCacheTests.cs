using Wagate.Data.Accounts;
using Wagate.Data.Entities;
using Wagate.Gateway.Security;
using Wagate.Gateway.Tests.Support;
using Xunit;

namespace Wagate.Gateway.Tests.Unit;

/// <summary>A credential read once serves the calls of the next moment without the database, and
/// no longer: a revoked key or a suspended tenant is refused within the freshness on any replica,
/// and at once on the one that made the change.</summary>
public sealed class CredentialCacheTests
{
    private readonly ManualClock _clock = new(DateTimeOffset.UnixEpoch);
    private readonly CredentialCache _cache;
    private int _reads;
    private ApiKeyCredential? _stored = Key("tn1", TenantState.Active);

    public CredentialCacheTests() => _cache = new CredentialCache(_clock);

    private Task<ApiKeyCredential?> ReadAsync()
    {
        _reads++;
        return Task.FromResult(_stored);
    }

    private static ApiKeyCredential Key(string tenantId, TenantState state) =>
        new(new ApiKeyRecord { Id = "k1", TenantId = tenantId, Prefix = "wg_abc", DisplayName = "k", SecretHash = [1], Scopes = "", CreatorUserId = "us1" }, state);

    [Fact]
    public async Task A_key_is_read_once_while_fresh_and_again_after()
    {
        await _cache.ApiKeyAsync("wg_abc", ReadAsync);
        _clock.Advance(CredentialCache.Freshness / 2);
        await _cache.ApiKeyAsync("wg_abc", ReadAsync);
        Assert.Equal(1, _reads);

        _stored = Key("tn1", TenantState.Suspended); // changed on another replica
        _clock.Advance(CredentialCache.Freshness / 2);

        Assert.Equal(TenantState.Suspended, (await _cache.ApiKeyAsync("wg_abc", ReadAsync))!.TenantState);
        Assert.Equal(2, _reads);
    }

    [Fact]
    public async Task Forgetting_a_tenant_reads_its_credentials_again_at_once()
    {
        await _cache.ApiKeyAsync("wg_abc", ReadAsync);
        _stored = null; // revoked here

        _cache.ForgetTenant("tn1");

        Assert.Null(await _cache.ApiKeyAsync("wg_abc", ReadAsync));
        Assert.Equal(2, _reads);
    }

    [Fact]
    public async Task A_key_that_does_not_exist_is_never_kept()
    {
        _stored = null;
        await _cache.ApiKeyAsync("wg_abc", ReadAsync);
        await _cache.ApiKeyAsync("wg_abc", ReadAsync);
        Assert.Equal(2, _reads);
    }
}
