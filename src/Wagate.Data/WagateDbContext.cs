using Microsoft.EntityFrameworkCore;
using Wagate.Data.Entities;

namespace Wagate.Data;

/// <summary>The relational model shared by every provider. Each provider has a subclass that
/// owns its migrations (<see cref="PostgresDbContext"/>, <see cref="SqliteDbContext"/>), because
/// EF Core migrations are provider-specific SQL.</summary>
public abstract class WagateDbContext(DbContextOptions options) : DbContext(options)
{
    public DbSet<TenantRecord> Tenants => Set<TenantRecord>();
    public DbSet<UserRecord> Users => Set<UserRecord>();
    public DbSet<ApiKeyRecord> ApiKeys => Set<ApiKeyRecord>();
    public DbSet<SessionRecord> Sessions => Set<SessionRecord>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<TenantRecord>(tenant =>
        {
            tenant.ToTable("tenants");
            tenant.HasKey(t => t.Id);
            tenant.Property(t => t.Id).HasMaxLength(Limits.IdLength);
            tenant.Property(t => t.DisplayName).HasMaxLength(Limits.DisplayNameLength);
            tenant.Property(t => t.SuspendReason).HasMaxLength(Limits.ReasonLength);
        });

        modelBuilder.Entity<UserRecord>(user =>
        {
            user.ToTable("users");
            user.HasKey(u => u.Id);
            user.Property(u => u.Id).HasMaxLength(Limits.IdLength);
            user.Property(u => u.Email).HasMaxLength(Limits.EmailLength);
            user.HasIndex(u => u.Email).IsUnique();
            user.Property(u => u.DisplayName).HasMaxLength(Limits.DisplayNameLength);
            user.Property(u => u.PasswordHash).HasMaxLength(200);
            user.Property(u => u.TenantId).HasMaxLength(Limits.IdLength);
            user.HasOne<TenantRecord>().WithMany().HasForeignKey(u => u.TenantId).OnDelete(DeleteBehavior.Restrict);
            user.HasIndex(u => u.TenantId);
        });

        modelBuilder.Entity<ApiKeyRecord>(key =>
        {
            key.ToTable("api_keys");
            key.HasKey(k => k.Id);
            key.Property(k => k.Id).HasMaxLength(Limits.IdLength);
            key.Property(k => k.TenantId).HasMaxLength(Limits.IdLength);
            key.Property(k => k.DisplayName).HasMaxLength(Limits.DisplayNameLength);
            key.Property(k => k.Prefix).HasMaxLength(32);
            key.HasIndex(k => k.Prefix).IsUnique();
            key.Property(k => k.Scopes).HasMaxLength(500);
            key.Property(k => k.CreatorUserId).HasMaxLength(Limits.IdLength);
            key.HasOne<TenantRecord>().WithMany().HasForeignKey(k => k.TenantId).OnDelete(DeleteBehavior.Cascade);
            key.HasIndex(k => new { k.TenantId, k.Id });
        });

        modelBuilder.Entity<SessionRecord>(session =>
        {
            session.ToTable("sessions");
            // Ids may be chosen by the client, so they are unique per tenant only.
            session.HasKey(s => new { s.TenantId, s.Id });
            session.Property(s => s.TenantId).HasMaxLength(Limits.IdLength);
            session.Property(s => s.Id).HasMaxLength(63);
            session.Property(s => s.DisplayName).HasMaxLength(Limits.DisplayNameLength);
            session.Property(s => s.Worker).HasMaxLength(100);
            session.Property(s => s.PhoneNumber).HasMaxLength(20);
            session.Property(s => s.ErrorReason).HasMaxLength(50);
            session.Property(s => s.ErrorMessage).HasMaxLength(Limits.ReasonLength);
            session.HasOne<TenantRecord>().WithMany().HasForeignKey(s => s.TenantId).OnDelete(DeleteBehavior.Cascade);
        });
    }
}
