using System.Security.Cryptography;
using Grpc.Core;
using Wagate.Data.Accounts;
using Wagate.Data.Entities;
using Wagate.Gateway.Errors;

namespace Wagate.Gateway.Security;

/// <summary>Turns the credentials of a call (an <c>x-api-key</c> header or an
/// <c>Authorization: Bearer</c> token) into a <see cref="Caller"/>, reading the key, user and
/// tenant through <see cref="CredentialCache"/>: revocation and suspension apply at once on the
/// replica that made them, within <see cref="CredentialCache.Freshness"/> on the others.</summary>
public sealed class CredentialResolver(AccountStore accounts, CredentialCache cache, AccessTokens tokens, TimeProvider clock)
{
    public const string ApiKeyHeader = "x-api-key";
    private static readonly TimeSpan LastUseResolution = TimeSpan.FromMinutes(1);

    public async Task<Caller> ResolveAsync(Metadata headers, CancellationToken cancellationToken)
    {
        var apiKey = headers.GetValue(ApiKeyHeader);
        if (!string.IsNullOrEmpty(apiKey))
        {
            return await FromApiKeyAsync(apiKey.Trim(), cancellationToken);
        }
        var authorization = headers.GetValue("authorization");
        if (!string.IsNullOrEmpty(authorization))
        {
            const string bearer = "Bearer ";
            if (!authorization.StartsWith(bearer, StringComparison.OrdinalIgnoreCase))
            {
                throw ApiErrors.Unauthenticated(ErrorReason.CredentialsInvalid,
                    "The Authorization header must be 'Bearer <access token>'.");
            }
            return await FromTokenAsync(authorization[bearer.Length..].Trim(), cancellationToken);
        }
        throw ApiErrors.Unauthenticated(ErrorReason.CredentialsMissing,
            "This call needs an 'x-api-key' header or an 'Authorization: Bearer' access token.");
    }

    private async Task<Caller> FromApiKeyAsync(string key, CancellationToken cancellationToken)
    {
        if (!ApiKeySecrets.TryGetPrefix(key, out var prefix))
        {
            throw InvalidKey();
        }
        var found = await cache.ApiKeyAsync(prefix, () => accounts.FindApiKeyByPrefixAsync(prefix, cancellationToken));
        if (found is null || !CryptographicOperations.FixedTimeEquals(found.Key.SecretHash, ApiKeySecrets.HashOf(key)))
        {
            throw InvalidKey();
        }
        EnsureActive(found.TenantState);
        await TouchAsync(found.Key, cancellationToken);
        return new Caller(found.Key.TenantId, UserId: null, ApiKeyId: found.Key.Id, Role: null,
            PlatformAdmin: false, Scopes.Split(found.Key.Scopes));
    }

    private async Task<Caller> FromTokenAsync(string token, CancellationToken cancellationToken)
    {
        var check = await tokens.CheckAsync(token);
        if (check.UserId is not { } userId)
        {
            throw ApiErrors.Unauthenticated(ErrorReason.CredentialsInvalid, "The access token is not valid.");
        }
        if (check.Expired)
        {
            throw ApiErrors.Unauthenticated(ErrorReason.TokenExpired, "The access token has expired; log in again.");
        }
        var found = await cache.UserAsync(userId, () => accounts.FindUserByIdAsync(userId, cancellationToken))
            ?? throw ApiErrors.Unauthenticated(ErrorReason.CredentialsInvalid, "The access token's user no longer exists.");
        EnsureActive(found.TenantState);
        return new Caller(found.User.TenantId, found.User.Id, ApiKeyId: null, found.User.Role,
            found.User.PlatformAdmin, Scopes.All);
    }

    private static void EnsureActive(TenantState state)
    {
        if (state != TenantState.Active)
        {
            throw ApiErrors.PermissionDenied(ErrorReason.TenantSuspended,
                "This tenant is suspended; contact the platform administrator.");
        }
    }

    /// <summary>Records when a key was last used, at most once a minute per key, so busy keys
    /// do not turn every read into a write.</summary>
    private async Task TouchAsync(ApiKeyRecord key, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        if (key.LastUseTime is { } last && now - last < LastUseResolution)
        {
            return;
        }
        await accounts.RecordApiKeyUseAsync(key.TenantId, key.Id, now, cancellationToken);
        key.LastUseTime = now; // the cached copy too, so it does not touch again on every call
    }

    private static RpcException InvalidKey() =>
        ApiErrors.Unauthenticated(ErrorReason.CredentialsInvalid, "The API key is not valid or has been revoked.");
}
