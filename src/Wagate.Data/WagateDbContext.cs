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
    public DbSet<SessionStateDeltaRecord> SessionStateDeltas => Set<SessionStateDeltaRecord>();
    public DbSet<MessageRecord> Messages => Set<MessageRecord>();
    public DbSet<EventRecord> Events => Set<EventRecord>();
    public DbSet<WebhookRecord> Webhooks => Set<WebhookRecord>();
    public DbSet<WebhookDeliveryRecord> WebhookDeliveries => Set<WebhookDeliveryRecord>();
    public DbSet<WebhookAttemptRecord> WebhookAttempts => Set<WebhookAttemptRecord>();

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
            session.Property(s => s.Id).HasMaxLength(Limits.SessionIdLength);
            session.Property(s => s.DisplayName).HasMaxLength(Limits.DisplayNameLength);
            session.Property(s => s.PhoneNumber).HasMaxLength(20);
            session.Property(s => s.ErrorReason).HasMaxLength(50);
            session.Property(s => s.ErrorMessage).HasMaxLength(Limits.ReasonLength);
            session.Property(s => s.StateSnapshot).HasMaxLength(Limits.StateSnapshotKeyLength);
            session.HasOne<TenantRecord>().WithMany().HasForeignKey(s => s.TenantId).OnDelete(DeleteBehavior.Cascade);
        });

        modelBuilder.Entity<SessionStateDeltaRecord>(delta =>
        {
            delta.ToTable("session_state_deltas");
            delta.HasKey(d => d.Id);
            delta.Property(d => d.TenantId).HasMaxLength(Limits.IdLength);
            delta.Property(d => d.SessionId).HasMaxLength(Limits.SessionIdLength);
            delta.HasOne<SessionRecord>().WithMany().HasForeignKey(d => new { d.TenantId, d.SessionId }).OnDelete(DeleteBehavior.Cascade);
            // A load reads one session's deltas after its snapshot, in order.
            delta.HasIndex(d => new { d.TenantId, d.SessionId, d.Id });
        });

        modelBuilder.Entity<MessageRecord>(message =>
        {
            message.ToTable("messages");
            message.HasKey(m => new { m.TenantId, m.SessionId, m.Id });
            message.Property(m => m.TenantId).HasMaxLength(Limits.IdLength);
            message.Property(m => m.SessionId).HasMaxLength(Limits.SessionIdLength);
            message.Property(m => m.Id).HasMaxLength(Limits.IdLength);
            message.Property(m => m.Chat).HasMaxLength(Limits.ChatLength);
            message.Property(m => m.RequestId).HasMaxLength(Limits.RequestIdLength);
            message.Property(m => m.ExternalId).HasMaxLength(Limits.ExternalMessageIdLength);
            message.Property(m => m.FailureReason).HasMaxLength(Limits.FailureReasonLength);
            message.Property(m => m.FailureMessage).HasMaxLength(Limits.ReasonLength);
            message.HasOne<SessionRecord>().WithMany().HasForeignKey(m => new { m.TenantId, m.SessionId }).OnDelete(DeleteBehavior.Cascade);
            // Idempotency: a retried send finds its message. NULLs are distinct on both
            // providers, so messages without a request id never collide.
            message.HasIndex(m => new { m.TenantId, m.SessionId, m.RequestId }).IsUnique();
            // A redelivered inbound message is stored once.
            message.HasIndex(m => new { m.TenantId, m.SessionId, m.ExternalId }).IsUnique();
            // ListMessages: newest first, keyset on (CreateTime, Id); read backwards.
            message.HasIndex(m => new { m.TenantId, m.SessionId, m.CreateTime, m.Id });
            // The outbox a new owner re-dispatches, oldest first. Partial: queued messages are
            // a sliver of the log, so the index stays small however long the log grows.
            message.HasIndex(m => new { m.TenantId, m.SessionId, m.CreateTime, m.Id }, "IX_messages_queued")
                .HasFilter("\"State\" = 1");
            // The daily quota: a tenant's outbound messages since midnight.
            message.HasIndex(m => new { m.TenantId, m.Direction, m.CreateTime });
        });

        modelBuilder.Entity<EventRecord>(@event =>
        {
            @event.ToTable("events");
            @event.HasKey(e => new { e.TenantId, e.Cursor });
            // Cursors come from EventLog (transaction ids, or tenants.LastEventCursor on SQLite),
            // never from a database sequence, whose numbers are taken in no commit order.
            @event.Property(e => e.Cursor).ValueGeneratedNever();
            @event.Property(e => e.TenantId).HasMaxLength(Limits.IdLength);
            @event.Property(e => e.SessionId).HasMaxLength(Limits.SessionIdLength);
            @event.HasOne<TenantRecord>().WithMany().HasForeignKey(e => e.TenantId).OnDelete(DeleteBehavior.Cascade);
            // Streams filtered to a few sessions skip the rest of the log.
            @event.HasIndex(e => new { e.TenantId, e.SessionId, e.Cursor });
            // The hourly prune finds expired events without reading the whole log.
            @event.HasIndex(e => e.Time);
        });

        modelBuilder.Entity<WebhookRecord>(webhook =>
        {
            webhook.ToTable("webhooks");
            webhook.HasKey(w => new { w.TenantId, w.Id });
            webhook.Property(w => w.TenantId).HasMaxLength(Limits.IdLength);
            webhook.Property(w => w.Id).HasMaxLength(Limits.IdLength);
            webhook.Property(w => w.Url).HasMaxLength(Limits.UrlLength);
            webhook.Property(w => w.EventTypes).HasMaxLength(100);
            webhook.Property(w => w.Sessions).HasMaxLength(4000);
            webhook.HasOne<TenantRecord>().WithMany().HasForeignKey(w => w.TenantId).OnDelete(DeleteBehavior.Cascade);
        });

        modelBuilder.Entity<WebhookDeliveryRecord>(delivery =>
        {
            delivery.ToTable("webhook_deliveries");
            delivery.HasKey(d => new { d.TenantId, d.WebhookId, d.EventCursor });
            delivery.Property(d => d.EventCursor).ValueGeneratedNever();
            delivery.Property(d => d.TenantId).HasMaxLength(Limits.IdLength);
            delivery.Property(d => d.WebhookId).HasMaxLength(Limits.IdLength);
            delivery.Property(d => d.ClaimToken).HasMaxLength(Limits.IdLength);
            // Deleting a webhook drops its deliveries; pruning an event drops its deliveries.
            delivery.HasOne<WebhookRecord>().WithMany().HasForeignKey(d => new { d.TenantId, d.WebhookId }).OnDelete(DeleteBehavior.Cascade);
            delivery.HasOne<EventRecord>().WithMany().HasForeignKey(d => new { d.TenantId, d.EventCursor }).OnDelete(DeleteBehavior.Cascade);
            // The senders' queue: pending deliveries by due time, across tenants. Partial, so
            // delivered history does not weigh on it.
            delivery.HasIndex(d => d.NextAttemptTime, "IX_webhook_deliveries_pending")
                .HasFilter("\"State\" = 1");
        });

        modelBuilder.Entity<WebhookAttemptRecord>(attempt =>
        {
            attempt.ToTable("webhook_attempts");
            attempt.HasKey(a => new { a.TenantId, a.WebhookId, a.EventCursor, a.Number });
            attempt.Property(a => a.Number).ValueGeneratedNever();
            attempt.Property(a => a.TenantId).HasMaxLength(Limits.IdLength);
            attempt.Property(a => a.WebhookId).HasMaxLength(Limits.IdLength);
            attempt.Property(a => a.Error).HasMaxLength(Limits.ReasonLength);
            attempt.HasOne<WebhookDeliveryRecord>().WithMany()
                .HasForeignKey(a => new { a.TenantId, a.WebhookId, a.EventCursor }).OnDelete(DeleteBehavior.Cascade);
        });
    }
}
