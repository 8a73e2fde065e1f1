using Wagate.Data.Entities;

namespace Wagate.Gateway.Security;

/// <summary>Who is calling, established once per request by the access interceptor and read
/// by services through <see cref="CallerContext"/>. A user token carries a user; an API key
/// carries the key's id and scopes and no user.</summary>
public sealed record Caller(
    string TenantId,
    string? UserId,
    string? ApiKeyId,
    UserRole? Role,
    bool PlatformAdmin,
    IReadOnlyCollection<string> Scopes)
{
    public bool IsUser => UserId is not null;

    public bool HasScope(string scope) => IsUser || Scopes.Contains(scope);
}
