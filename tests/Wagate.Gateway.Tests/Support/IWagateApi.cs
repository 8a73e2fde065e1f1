using Grpc.Core;
using Wagate.Contracts.Identity.V1;
using Wagate.Contracts.Tenant.V1;

namespace Wagate.Gateway.Tests.Support;

/// <summary>How a client proves who it is: a user access token or an API key.</summary>
public sealed record Credential(string? AccessToken = null, string? ApiKey = null)
{
    public static readonly Credential None = new();

    public static Credential Token(string token) => new(AccessToken: token);

    public static Credential Key(string key) => new(ApiKey: key);
}

/// <summary>A failed call, the same whichever protocol carried it: the gRPC code and the
/// google.rpc.Status (with its details) the server sent; over REST also the HTTP status.</summary>
public sealed class ApiCallException(StatusCode code, Google.Rpc.Status? status, int? httpStatus)
    : Exception($"{code}: {status?.Message}")
{
    public StatusCode Code { get; } = code;
    public Google.Rpc.Status? Status { get; } = status;
    public int? HttpStatus { get; } = httpStatus;

    public T? Detail<T>() where T : class, Google.Protobuf.IMessage<T>, new() =>
        Status?.Details.Where(d => d.Is(new T().Descriptor)).Select(d => d.Unpack<T>()).FirstOrDefault();

    public Google.Rpc.ErrorInfo? Info => Detail<Google.Rpc.ErrorInfo>();

    public IReadOnlyList<string> ViolatedFields =>
        Detail<Google.Rpc.BadRequest>()?.FieldViolations.Select(v => v.Field).ToList() ?? [];
}

/// <summary>The identity and tenant API as a client sees it, implemented once over gRPC (and
/// gRPC-Web, the same client on another channel) and once over REST, so every test can run on
/// each protocol.</summary>
public interface IWagateApi
{
    Task<RegisterResponse> RegisterAsync(RegisterRequest request);
    Task<LoginResponse> LoginAsync(LoginRequest request);
    Task<User> GetCurrentUserAsync(Credential credential);
    Task<Tenant> GetTenantAsync(string name, Credential credential);
    Task<ListTenantsResponse> ListTenantsAsync(ListTenantsRequest request, Credential credential);
    Task<Tenant> SuspendTenantAsync(string name, string reason, Credential credential);
    Task<Tenant> ResumeTenantAsync(string name, Credential credential);
    Task<TenantUsage> GetTenantUsageAsync(string name, Credential credential);
    Task<ApiKey> CreateApiKeyAsync(string parent, ApiKey apiKey, Credential credential);
    Task<ListApiKeysResponse> ListApiKeysAsync(ListApiKeysRequest request, Credential credential);
    Task DeleteApiKeyAsync(string name, Credential credential);
}
