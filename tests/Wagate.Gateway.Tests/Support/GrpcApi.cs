using Grpc.Core;
using Grpc.Net.Client;
using Wagate.Contracts.Identity.V1;
using Wagate.Contracts.Tenant.V1;

namespace Wagate.Gateway.Tests.Support;

/// <summary><see cref="IWagateApi"/> through the generated gRPC clients.</summary>
public sealed class GrpcApi(GrpcChannel channel) : IWagateApi
{
    private readonly IdentityService.IdentityServiceClient _identity = new(channel);
    private readonly TenantService.TenantServiceClient _tenants = new(channel);

    public Task<RegisterResponse> RegisterAsync(RegisterRequest request) =>
        Call(() => _identity.RegisterAsync(request).ResponseAsync);

    public Task<LoginResponse> LoginAsync(LoginRequest request) =>
        Call(() => _identity.LoginAsync(request).ResponseAsync);

    public async Task<User> GetCurrentUserAsync(Credential credential) =>
        (await Call(() => _identity.GetCurrentUserAsync(new GetCurrentUserRequest(), Headers(credential)).ResponseAsync)).User;

    public async Task<Tenant> GetTenantAsync(string name, Credential credential) =>
        (await Call(() => _tenants.GetTenantAsync(new GetTenantRequest { Name = name }, Headers(credential)).ResponseAsync)).Tenant;

    public Task<ListTenantsResponse> ListTenantsAsync(ListTenantsRequest request, Credential credential) =>
        Call(() => _tenants.ListTenantsAsync(request, Headers(credential)).ResponseAsync);

    public async Task<Tenant> SuspendTenantAsync(string name, string reason, Credential credential) =>
        (await Call(() => _tenants.SuspendTenantAsync(new SuspendTenantRequest { Name = name, Reason = reason }, Headers(credential)).ResponseAsync)).Tenant;

    public async Task<Tenant> ResumeTenantAsync(string name, Credential credential) =>
        (await Call(() => _tenants.ResumeTenantAsync(new ResumeTenantRequest { Name = name }, Headers(credential)).ResponseAsync)).Tenant;

    public async Task<TenantUsage> GetTenantUsageAsync(string name, Credential credential) =>
        (await Call(() => _tenants.GetTenantUsageAsync(new GetTenantUsageRequest { Name = name }, Headers(credential)).ResponseAsync)).Usage;

    public async Task<ApiKey> CreateApiKeyAsync(string parent, ApiKey apiKey, Credential credential) =>
        (await Call(() => _tenants.CreateApiKeyAsync(new CreateApiKeyRequest { Parent = parent, ApiKey = apiKey }, Headers(credential)).ResponseAsync)).ApiKey;

    public Task<ListApiKeysResponse> ListApiKeysAsync(ListApiKeysRequest request, Credential credential) =>
        Call(() => _tenants.ListApiKeysAsync(request, Headers(credential)).ResponseAsync);

    public Task DeleteApiKeyAsync(string name, Credential credential) =>
        Call(() => _tenants.DeleteApiKeyAsync(new DeleteApiKeyRequest { Name = name }, Headers(credential)).ResponseAsync);

    private static Metadata Headers(Credential credential)
    {
        var headers = new Metadata();
        if (credential.AccessToken is { } token)
        {
            headers.Add("authorization", "Bearer " + token);
        }
        if (credential.ApiKey is { } key)
        {
            headers.Add("x-api-key", key);
        }
        return headers;
    }

    private static Task<T> Call<T>(Func<Task<T>> call) => GrpcCall.RunAsync(call);
}
