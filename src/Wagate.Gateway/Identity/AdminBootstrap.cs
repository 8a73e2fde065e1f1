using Microsoft.EntityFrameworkCore;
using Wagate.Data;
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
        WagateDbContext db, PasswordHasher passwords, string email, string password, TimeProvider clock,
        ILogger logger, CancellationToken cancellationToken)
    {
        email = EmailAddress.Normalize(email);
        var existing = await db.Users.SingleOrDefaultAsync(u => u.Email == email, cancellationToken);
        if (existing is not null)
        {
            if (!existing.PlatformAdmin)
            {
                existing.PlatformAdmin = true;
                await db.SaveChangesAsync(cancellationToken);
                logger.LogWarning("Existing user {UserId} promoted to platform administrator", existing.Id);
            }
            return;
        }
        var now = clock.GetUtcNow().UtcDateTime;
        var tenant = new TenantRecord { Id = Ids.NewTenantId(), DisplayName = "Platform", CreateTime = now, UpdateTime = now };
        db.Tenants.Add(tenant);
        db.Users.Add(new UserRecord
        {
            Id = Ids.NewUserId(),
            Email = email,
            DisplayName = "Administrator",
            PasswordHash = passwords.Hash(password),
            TenantId = tenant.Id,
            Role = UserRole.Owner,
            PlatformAdmin = true,
            CreateTime = now,
        });
        await db.SaveChangesAsync(cancellationToken);
        logger.LogInformation("Platform administrator {Email} created", email);
    }
}
