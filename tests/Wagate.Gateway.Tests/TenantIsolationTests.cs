using Grpc.Core;
using Wagate.Contracts.Tenant.V1;
using Wagate.Gateway.Tests.Support;
using Xunit;

namespace Wagate.Gateway.Tests;

/// <summary>Every tenant-scoped RPC, called with tenant A's access token or A's API key on
/// tenant B's resources, over every protocol: refused with NOT_FOUND or PERMISSION_DENIED,
/// never B's data, and B is unchanged afterwards.</summary>
public sealed class TenantIsolationTests(TenantIsolationTests.TwoTenants fixture) : IClassFixture<TenantIsolationTests.TwoTenants>
{
    public sealed class TwoTenants : IAsyncLifetime
    {
        private readonly SingleNodeFixture _server = new();

        public TestServer Server => _server.Server;
        public Account A { get; private set; } = null!;
        public Account B { get; private set; } = null!;

        public async Task InitializeAsync()
        {
            await _server.InitializeAsync();
            A = await Account.RegisterAsync(Server.Api(Protocol.Grpc));
            B = await Account.RegisterAsync(Server.Api(Protocol.Grpc));
        }

        public Task DisposeAsync() => _server.DisposeAsync();
    }

    private static readonly Dictionary<string, Func<IWagateApi, Account, Credential, Task<object>>> Operations = new()
    {
        ["GetTenant"] = async (api, b, caller) => await api.GetTenantAsync(b.TenantName, caller),
        ["GetTenantUsage"] = async (api, b, caller) => await api.GetTenantUsageAsync(b.TenantName + "/usage", caller),
        ["CreateApiKey"] = async (api, b, caller) => await api.CreateApiKeyAsync(b.TenantName,
            new ApiKey { DisplayName = "stolen", Scopes = { "messages.send" } }, caller),
        ["ListApiKeys"] = async (api, b, caller) => await api.ListApiKeysAsync(new ListApiKeysRequest { Parent = b.TenantName }, caller),
        ["DeleteApiKey"] = async (api, b, caller) =>
        {
            await api.DeleteApiKeyAsync(b.Registration.ApiKey.Name, caller);
            return "deleted";
        },
        ["ListTenants"] = async (api, _, caller) => await api.ListTenantsAsync(new ListTenantsRequest(), caller),
        ["SuspendTenant"] = async (api, b, caller) => await api.SuspendTenantAsync(b.TenantName, "", caller),
        ["ResumeTenant"] = async (api, b, caller) => await api.ResumeTenantAsync(b.TenantName, caller),
    };

    // Declared after Operations: static fields initialise in order.
    public static readonly TheoryData<Protocol, string, string> Cases = BuildCases();

    private static TheoryData<Protocol, string, string> BuildCases()
    {
        var data = new TheoryData<Protocol, string, string>();
        foreach (var protocol in Enum.GetValues<Protocol>())
        {
            foreach (var credential in new[] { "token", "key" })
            {
                foreach (var operation in Operations.Keys)
                {
                    data.Add(protocol, credential, operation);
                }
            }
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Tenant_A_cannot_reach_tenant_B(Protocol protocol, string credentialKind, string operation)
    {
        var api = fixture.Server.Api(protocol);
        var asA = credentialKind == "token" ? fixture.A.Token : fixture.A.Key;

        var refused = await Assert.ThrowsAsync<ApiCallException>(() => Operations[operation](api, fixture.B, asA));

        Assert.Contains(refused.Code, new[] { StatusCode.NotFound, StatusCode.PermissionDenied });
        if (protocol == Protocol.Rest)
        {
            Assert.Contains(refused.HttpStatus, new int?[] { 403, 404 });
        }
        Assert.DoesNotContain(fixture.B.Registration.ApiKey.Key, refused.Status?.ToString() ?? "");

        // B is untouched: still active, its key still works, no key was added or removed.
        var grpc = fixture.Server.Api(Protocol.Grpc);
        var tenant = await grpc.GetTenantAsync(fixture.B.TenantName, fixture.B.Key);
        Assert.Equal(Tenant.Types.State.Active, tenant.State);
        var keys = await grpc.ListApiKeysAsync(new ListApiKeysRequest { Parent = fixture.B.TenantName }, fixture.B.Token);
        Assert.Equal([fixture.B.Registration.ApiKey.Name], keys.ApiKeys.Select(k => k.Name));
    }

    [Theory]
    [InlineData(Protocol.Grpc)]
    [InlineData(Protocol.Rest)]
    public async Task A_key_of_tenant_A_named_under_tenant_A_but_belonging_to_B_is_not_found(Protocol protocol)
    {
        // The right tenant prefix with another tenant's key id: the lookup itself is tenant-scoped.
        var api = fixture.Server.Api(protocol);
        var keyIdOfB = fixture.B.Registration.ApiKey.Name.Split('/')[^1];

        var refused = await Assert.ThrowsAsync<ApiCallException>(() =>
            api.DeleteApiKeyAsync($"{fixture.A.TenantName}/apiKeys/{keyIdOfB}", fixture.A.Token));

        Assert.Equal(StatusCode.NotFound, refused.Code);
        Assert.Equal(fixture.B.TenantName, (await api.GetTenantAsync(fixture.B.TenantName, fixture.B.Key)).Name);
    }
}
