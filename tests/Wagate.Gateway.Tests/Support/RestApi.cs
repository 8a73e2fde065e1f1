using System.Text;
using Google.Protobuf;
using Wagate.Contracts.Identity.V1;
using Wagate.Contracts.Tenant.V1;

namespace Wagate.Gateway.Tests.Support;

/// <summary><see cref="IWagateApi"/> as a REST client writes it: the paths of API.md, proto3
/// JSON bodies, errors as a google.rpc.Status JSON body. Responses are parsed strictly, so an
/// unexpected field fails the test.</summary>
public sealed class RestApi(HttpClient http) : IWagateApi
{
    public Task<RegisterResponse> RegisterAsync(RegisterRequest request) =>
        SendAsync(HttpMethod.Post, "/v1/auth:register", request, Credential.None, RegisterResponse.Parser);

    public Task<LoginResponse> LoginAsync(LoginRequest request) =>
        SendAsync(HttpMethod.Post, "/v1/auth:login", request, Credential.None, LoginResponse.Parser);

    public Task<User> GetCurrentUserAsync(Credential credential) =>
        SendAsync(HttpMethod.Get, "/v1/users/me", null, credential, User.Parser);

    public Task<Tenant> GetTenantAsync(string name, Credential credential) =>
        SendAsync(HttpMethod.Get, $"/v1/{name}", null, credential, Tenant.Parser);

    public Task<ListTenantsResponse> ListTenantsAsync(ListTenantsRequest request, Credential credential) =>
        SendAsync(HttpMethod.Get, $"/v1/tenants{Query(request.PageSize, request.PageToken)}", null, credential, ListTenantsResponse.Parser);

    public Task<Tenant> SuspendTenantAsync(string name, string reason, Credential credential) =>
        SendAsync(HttpMethod.Post, $"/v1/{name}:suspend", new SuspendTenantRequest { Reason = reason }, credential, Tenant.Parser);

    public Task<Tenant> ResumeTenantAsync(string name, Credential credential) =>
        SendAsync(HttpMethod.Post, $"/v1/{name}:resume", new ResumeTenantRequest(), credential, Tenant.Parser);

    public Task<TenantUsage> GetTenantUsageAsync(string name, Credential credential) =>
        SendAsync(HttpMethod.Get, $"/v1/{name}", null, credential, TenantUsage.Parser);

    public Task<ApiKey> CreateApiKeyAsync(string parent, ApiKey apiKey, Credential credential) =>
        SendAsync(HttpMethod.Post, $"/v1/{parent}/apiKeys", apiKey, credential, ApiKey.Parser);

    public Task<ListApiKeysResponse> ListApiKeysAsync(ListApiKeysRequest request, Credential credential) =>
        SendAsync(HttpMethod.Get, $"/v1/{request.Parent}/apiKeys{Query(request.PageSize, request.PageToken)}", null, credential, ListApiKeysResponse.Parser);

    public Task DeleteApiKeyAsync(string name, Credential credential) =>
        SendAsync(HttpMethod.Delete, $"/v1/{name}", null, credential, DeleteApiKeyResponse.Parser);

    /// <summary>Sends raw JSON, for tests of malformed or unexpected bodies.</summary>
    public async Task<(int Status, string Body)> SendRawAsync(HttpMethod method, string path, string json, Credential? credential = null)
    {
        using var request = RestTransport.Build(method, path, credential ?? Credential.None);
        request.Content = new StringContent(json, Encoding.UTF8, "application/json");
        using var response = await http.SendAsync(request);
        return ((int)response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    private Task<T> SendAsync<T>(HttpMethod method, string path, IMessage? body, Credential credential, MessageParser<T> parser)
        where T : IMessage<T> =>
        RestTransport.SendAsync(http, method, path, body, credential, parser);

    private static string Query(int pageSize, string pageToken)
    {
        var parts = new List<string>();
        if (pageSize != 0)
        {
            parts.Add($"pageSize={pageSize}");
        }
        if (!string.IsNullOrEmpty(pageToken))
        {
            parts.Add($"pageToken={Uri.EscapeDataString(pageToken)}");
        }
        return parts.Count == 0 ? "" : "?" + string.Join('&', parts);
    }
}
