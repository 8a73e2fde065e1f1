using Wagate.Contracts.Identity.V1;
using Wagate.Contracts.Tenant.V1;
using Wagate.Gateway.Tests.Support;
using Xunit;

namespace Wagate.Gateway.Tests;

/// <summary>gRPC, gRPC-Web and REST reach the same services with the same results.</summary>
public sealed class ProtocolTests(SingleNodeFixture fixture) : IClassFixture<SingleNodeFixture>
{
    private TestServer Server => fixture.Server;

    [Theory]
    [InlineData(Protocol.Grpc)]
    [InlineData(Protocol.GrpcWeb)]
    [InlineData(Protocol.Rest)]
    public async Task A_customer_registers_signs_in_and_manages_keys(Protocol protocol)
    {
        var api = Server.Api(protocol);

        var request = Account.NewRequest();
        var registered = await api.RegisterAsync(request);
        Assert.Equal(request.Email, registered.User.Email);
        Assert.Equal(User.Types.Role.Owner, registered.User.Role);
        Assert.Equal(registered.Tenant.Name, registered.User.Tenant);
        Assert.Equal("Test Tenant", registered.Tenant.DisplayName);
        Assert.Equal(Tenant.Types.State.Active, registered.Tenant.State);
        Assert.StartsWith(registered.Tenant.Name + "/apiKeys/", registered.ApiKey.Name);
        Assert.StartsWith("wg_", registered.ApiKey.Key);
        Assert.Equal(5, registered.ApiKey.Scopes.Count);

        var login = await api.LoginAsync(new LoginRequest { Email = request.Email.ToUpperInvariant(), Password = request.Password });
        Assert.True(login.ExpireTime.ToDateTimeOffset() > DateTimeOffset.UtcNow.AddMinutes(30));
        var token = Credential.Token(login.AccessToken);

        var me = await api.GetCurrentUserAsync(token);
        Assert.Equal(registered.User, me);

        var tenantByKey = await api.GetTenantAsync(registered.Tenant.Name, Credential.Key(registered.ApiKey.Key));
        Assert.Equal(registered.Tenant, tenantByKey);

        var created = await api.CreateApiKeyAsync(registered.Tenant.Name,
            new ApiKey { DisplayName = "reader", Scopes = { "sessions.read", "messages.read" } }, token);
        Assert.StartsWith("wg_", created.Key);
        Assert.Equal(["sessions.read", "messages.read"], created.Scopes);
        Assert.Equal(registered.User.Name, created.Creator);

        var listed = await api.ListApiKeysAsync(new ListApiKeysRequest { Parent = registered.Tenant.Name }, token);
        Assert.Equal([created.Name, registered.ApiKey.Name], listed.ApiKeys.Select(k => k.Name));
        Assert.All(listed.ApiKeys, k => Assert.Equal("", k.Key));
        Assert.Equal(created.Key[..13], listed.ApiKeys[0].KeyPrefix);

        var usage = await api.GetTenantUsageAsync(registered.Tenant.Name + "/usage", token);
        Assert.Equal(2, usage.ApiKeyCount);
        Assert.Equal(1, usage.MemberCount);
        Assert.Equal(Plan.Free, usage.Plan);

        await api.DeleteApiKeyAsync(created.Name, token);
        var revoked = await Assert.ThrowsAsync<ApiCallException>(() => api.GetTenantAsync(registered.Tenant.Name, Credential.Key(created.Key)));
        Assert.Equal(Grpc.Core.StatusCode.Unauthenticated, revoked.Code);
    }

    [Fact]
    public async Task What_one_protocol_writes_the_others_read()
    {
        var account = await Account.RegisterAsync(Server.Api(Protocol.Rest));

        var viaGrpc = await Server.Api(Protocol.Grpc).GetTenantAsync(account.TenantName, account.Key);
        var viaGrpcWeb = await Server.Api(Protocol.GrpcWeb).GetTenantAsync(account.TenantName, account.Token);
        var viaRest = await Server.Api(Protocol.Rest).GetTenantAsync(account.TenantName, account.Token);

        Assert.Equal(account.Registration.Tenant, viaGrpc);
        Assert.Equal(viaGrpc, viaGrpcWeb);
        Assert.Equal(viaGrpc, viaRest);
    }

    [Theory]
    [InlineData(Protocol.Grpc)]
    [InlineData(Protocol.GrpcWeb)]
    [InlineData(Protocol.Rest)]
    public async Task The_platform_admin_lists_suspends_and_resumes_tenants(Protocol protocol)
    {
        var api = Server.Api(protocol);
        var admin = await Account.AdminAsync(api);
        var customer = await Account.RegisterAsync(api);

        var suspended = await api.SuspendTenantAsync(customer.TenantName, "unpaid invoice", admin);
        Assert.Equal(Tenant.Types.State.Suspended, suspended.State);
        Assert.Equal("unpaid invoice", suspended.SuspendReason);

        var byKey = await Assert.ThrowsAsync<ApiCallException>(() => api.GetTenantAsync(customer.TenantName, customer.Key));
        var byToken = await Assert.ThrowsAsync<ApiCallException>(() => api.GetTenantAsync(customer.TenantName, customer.Token));
        var byLogin = await Assert.ThrowsAsync<ApiCallException>(() => api.LoginAsync(new LoginRequest { Email = customer.Email, Password = customer.Password }));
        Assert.All([byKey, byToken, byLogin], refused =>
        {
            Assert.Equal(Grpc.Core.StatusCode.PermissionDenied, refused.Code);
            Assert.Equal("TENANT_SUSPENDED", refused.Info?.Reason);
        });

        var resumed = await api.ResumeTenantAsync(customer.TenantName, admin);
        Assert.Equal(Tenant.Types.State.Active, resumed.State);
        Assert.Equal(customer.TenantName, (await api.GetTenantAsync(customer.TenantName, customer.Key)).Name);

        var everyone = new List<Tenant>();
        var page = new ListTenantsResponse { NextPageToken = "" };
        do
        {
            page = await api.ListTenantsAsync(new ListTenantsRequest { PageSize = 2, PageToken = page.NextPageToken }, admin);
            Assert.True(page.Tenants.Count <= 2);
            everyone.AddRange(page.Tenants);
        }
        while (page.NextPageToken != "");
        Assert.Contains(everyone, t => t.Name == customer.TenantName);
        Assert.Equal(everyone.Count, everyone.Select(t => t.Name).Distinct().Count());
        Assert.Equal(everyone.Select(t => t.Name).Order(StringComparer.Ordinal), everyone.Select(t => t.Name));
    }
}
