using Google.Protobuf.WellKnownTypes;
using Wagate.Contracts.Identity.V1;
using Wagate.Core;
using Wagate.Data.Accounts;
using Wagate.Data.Entities;
using Wagate.Gateway.Common;
using Wagate.Gateway.Errors;
using Wagate.Gateway.Security;
using Wagate.Gateway.Tenancy;

namespace Wagate.Gateway.Identity;

/// <summary>Registration and login.</summary>
public sealed class AccountService(
    AccountStore accounts,
    PasswordHasher passwords,
    AccessTokens tokens,
    ApiKeyIssuer apiKeys,
    LoginThrottle throttle,
    TimeProvider clock)
{
    /// <summary>Creates tenant, user and first API key in one transaction: either all three
    /// exist afterwards or none does. A concurrent registration of the same email loses on the
    /// unique index and changes nothing.</summary>
    public async Task<RegisterResponse> RegisterAsync(RegisterRequest request, CancellationToken cancellationToken)
    {
        var email = EmailAddress.Normalize(request.Email);
        if (await accounts.EmailTakenAsync(email, cancellationToken))
        {
            throw EmailTaken();
        }

        var now = clock.GetUtcNow().UtcDateTime;
        var displayName = request.DisplayName.Trim();
        var tenant = new TenantRecord
        {
            Id = Ids.NewTenantId(),
            DisplayName = string.IsNullOrWhiteSpace(request.TenantDisplayName) ? displayName : request.TenantDisplayName.Trim(),
            CreateTime = now,
            UpdateTime = now,
        };
        var user = new UserRecord
        {
            Id = Ids.NewUserId(),
            Email = email,
            DisplayName = displayName,
            PasswordHash = passwords.Hash(request.Password),
            TenantId = tenant.Id,
            Role = UserRole.Owner,
            CreateTime = now,
        };
        var (apiKeyRecord, apiKey) = apiKeys.New(tenant.Id, user.Id, "Default key", Scopes.All);
        if (!await accounts.AddTenantWithOwnerAsync(tenant, user, apiKeyRecord, cancellationToken))
        {
            throw EmailTaken();
        }

        var (token, expires) = tokens.Issue(user.Id);
        return new RegisterResponse
        {
            User = user.ToProto(),
            Tenant = tenant.ToProto(),
            AccessToken = token,
            ExpireTime = Timestamp.FromDateTimeOffset(expires),
            ApiKey = apiKey,
        };
    }

    public async Task<LoginResponse> LoginAsync(LoginRequest request, string clientAddress, CancellationToken cancellationToken)
    {
        var email = EmailAddress.Normalize(request.Email);
        if (throttle.RetryAfter(email, clientAddress) is { } wait)
        {
            throw ApiErrors.ResourceExhausted(ErrorReason.LoginThrottled,
                "Too many failed logins; wait before trying again.", wait);
        }

        var found = await accounts.FindUserByEmailAsync(email, cancellationToken);
        if (found is null)
        {
            passwords.VerifyNothing(request.Password);
        }
        if (found is null || !PasswordHasher.Verify(request.Password, found.User.PasswordHash))
        {
            throttle.RecordFailure(email, clientAddress);
            throw ApiErrors.Unauthenticated(ErrorReason.LoginFailed, "The email or the password is wrong.");
        }
        throttle.RecordSuccess(email);
        if (found.TenantState != TenantState.Active)
        {
            throw ApiErrors.PermissionDenied(ErrorReason.TenantSuspended,
                "This tenant is suspended; contact the platform administrator.");
        }

        var (token, expires) = tokens.Issue(found.User.Id);
        return new LoginResponse
        {
            AccessToken = token,
            ExpireTime = Timestamp.FromDateTimeOffset(expires),
            User = found.User.ToProto(),
        };
    }

    public async Task<User> GetUserAsync(string tenantId, string userId, CancellationToken cancellationToken) =>
        (await accounts.GetUserAsync(tenantId, userId, cancellationToken)
            ?? throw ApiErrors.NotFound(ResourceNames.User(userId))).ToProto();

    private static Grpc.Core.RpcException EmailTaken() =>
        ApiErrors.AlreadyExists(ErrorReason.EmailTaken, "An account with this email already exists; log in instead.");
}
