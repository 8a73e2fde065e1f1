using Wagate.Data.Accounts;
using Wagate.Data.Entities;
using Wagate.Gateway.Common;
using Wagate.Gateway.Security;

namespace Wagate.Gateway.Identity;

/// <summary>Makes sure the platform administrator named in configuration
/// (WAGATE_ADMIN_EMAIL, WAGATE_ADMIN_PASSWORD) exists. The password is set when the account is
/// created and never overwritten, so a password changed later survives restarts.</summary>
public static class AdminBootstrap
{
    public static async Task EnsureAdminAsync(
        AccountStore accounts, PasswordHasher passwords, string email, string password, TimeProvider clock,
        ILogger logger, CancellationToken cancellationToken)
    {
        email = EmailAddress.Normalize(email);
        if (await accounts.FindUserByEmailAsync(email, cancellationToken) is { User: var existing })
        {
            if (!existing.PlatformAdmin)
            {
                await accounts.MakePlatformAdminAsync(existing.TenantId, existing.Id, cancellationToken);
                logger.LogWarning("Existing user {UserId} promoted to platform administrator", existing.Id);
            }
            return;
        }
        var now = clock.GetUtcNow().UtcDateTime;
        var tenant = new TenantRecord { Id = Ids.NewTenantId(), DisplayName = "Platform", CreateTime = now, UpdateTime = now };
        var admin = new UserRecord
        {
            Id = Ids.NewUserId(),
            Email = email,
            DisplayName = "Administrator",
            PasswordHash = passwords.Hash(password),
            TenantId = tenant.Id,
            Role = UserRole.Owner,
            PlatformAdmin = true,
            CreateTime = now,
        };
        if (!await accounts.AddTenantWithOwnerAsync(tenant, admin, apiKey: null, cancellationToken))
        {
            // Lost to a gateway starting at the same moment (or a registration of this email): the
            // start fails, and the next one finds the account.
            throw new InvalidOperationException($"The platform administrator {email} was created by another process meanwhile; start again.");
        }
        logger.LogInformation("Platform administrator {Email} created", email);
    }
}
