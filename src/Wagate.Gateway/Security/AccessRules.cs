using Wagate.Contracts.Api.V1;
using Wagate.Data.Entities;
using Wagate.Gateway.Errors;

namespace Wagate.Gateway.Security;

/// <summary>The caller-only part of an <see cref="AccessPolicy"/>: administrator, owner and
/// scope requirements. Tenant matching needs the request and lives in the interceptor.</summary>
public static class AccessRules
{
    public static void Check(AccessPolicy policy, Caller caller)
    {
        if (policy.PlatformAdmin && !caller.PlatformAdmin)
        {
            throw ApiErrors.PermissionDenied(ErrorReason.AdminOnly, "Only platform administrators may call this method.");
        }
        if (policy.OwnerOnly && !(caller.IsUser && (caller.Role == UserRole.Owner || caller.PlatformAdmin)))
        {
            throw ApiErrors.PermissionDenied(ErrorReason.RoleMissing,
                "Only a tenant owner signed in with an access token may call this method; API keys cannot.");
        }
        if (!string.IsNullOrEmpty(policy.Scope) && !caller.HasScope(policy.Scope))
        {
            throw ApiErrors.PermissionDenied(ErrorReason.ScopeMissing, $"The API key lacks the '{policy.Scope}' scope.");
        }
    }
}
