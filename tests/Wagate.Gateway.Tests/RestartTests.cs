using Wagate.Contracts.Identity.V1;
using Wagate.Contracts.Tenant.V1;
using Wagate.Gateway.Tests.Support;
using Wagate.Testing;
using Xunit;

namespace Wagate.Gateway.Tests;

/// <summary>A single node keeps its accounts, keys and tokens across a restart.</summary>
public sealed class RestartTests
{
    [Fact]
    public async Task Restarting_the_single_node_server_keeps_every_account_and_key()
    {
        using var data = new TempDirectory();
        Account account;
        ApiKey extraKey;
        await using (var first = await TestServer.StartSingleNodeAsync(data.Path))
        {
            var api = first.Api(Protocol.Rest);
            account = await Account.RegisterAsync(api);
            extraKey = await api.CreateApiKeyAsync(account.TenantName,
                new ApiKey { DisplayName = "worker", Scopes = { "messages.send" } }, account.Token);
        }

        await using var second = await TestServer.StartSingleNodeAsync(data.Path);
        var again = second.Api(Protocol.Grpc);

        var login = await again.LoginAsync(new LoginRequest { Email = account.Email, Password = account.Password });
        Assert.Equal(account.Registration.User, login.User);
        Assert.Equal(account.Registration.Tenant, await again.GetTenantAsync(account.TenantName, account.Key));
        Assert.Equal(account.TenantName, (await again.GetTenantAsync(account.TenantName, Credential.Key(extraKey.Key))).Name);
        // The token issued before the restart is still signed by the persisted key.
        Assert.Equal(account.Registration.User.Name, (await again.GetCurrentUserAsync(account.Token)).Name);
        var keys = await again.ListApiKeysAsync(new ListApiKeysRequest { Parent = account.TenantName }, account.Token);
        Assert.Equal([extraKey.Name, account.Registration.ApiKey.Name], keys.ApiKeys.Select(k => k.Name));
        // The administrator was bootstrapped once, not again.
        var admin = await Account.AdminAsync(again);
        var tenants = await again.ListTenantsAsync(new ListTenantsRequest(), admin);
        Assert.Equal(2, tenants.Tenants.Count);
    }
}
