using Microsoft.EntityFrameworkCore;
using Wagate.Data;
using Wagate.Data.Entities;
using Xunit;

namespace Wagate.Data.Tests;

/// <summary>One suite for every database the platform runs on: whatever the gateway relies on
/// (unique emails, all-or-nothing saves, UTC times, id ordering for pagination, tenant-scoped
/// bulk updates, and the messaging guarantees in the other parts of this class) must hold on
/// each provider, or single node and cluster would differ.</summary>
public abstract partial class DataConformanceTests : IAsyncLifetime
{
    private DatabaseOptions _options = null!;

    protected abstract Task<DatabaseOptions> CreateDatabaseAsync();

    public async Task InitializeAsync()
    {
        _options = await CreateDatabaseAsync();
        await using var db = NewContext();
        await db.MigrateAsync();
    }

    public virtual Task DisposeAsync() => Task.CompletedTask;

    private WagateDbContext NewContext() => DataServiceCollectionExtensions.CreateContext(_options);

    [Fact]
    public async Task Migrations_cover_the_whole_model()
    {
        await using var db = NewContext();

        Assert.Empty(await db.Database.GetPendingMigrationsAsync());
        Assert.False(db.Database.HasPendingModelChanges(), "The model changed without a migration: run tools/migration-add.");
    }

    [Fact]
    public async Task Migrating_twice_changes_nothing()
    {
        await using var db = NewContext();
        await db.Tenants.AddAsync(Tenant("tn-kept"));
        await db.SaveChangesAsync();

        await db.MigrateAsync();

        Assert.True(await db.Tenants.AnyAsync(t => t.Id == "tn-kept"));
    }

    [Fact]
    public async Task A_second_user_with_the_same_email_is_a_unique_violation()
    {
        await SeedAsync(Tenant("tn-a"), User("us-a", "tn-a", "same@example.com"));
        await using var db = NewContext();
        db.Users.Add(User("us-b", "tn-a", "same@example.com"));

        var failure = await Assert.ThrowsAsync<DbUpdateException>(() => db.SaveChangesAsync());

        Assert.True(DbErrors.IsUniqueViolation(failure));
    }

    [Fact]
    public async Task A_second_api_key_with_the_same_prefix_is_a_unique_violation()
    {
        await SeedAsync(Tenant("tn-a"), User("us-a", "tn-a", "a@example.com"), Key("ak-1", "tn-a", "prefix0001"));
        await using var db = NewContext();
        db.ApiKeys.Add(Key("ak-2", "tn-a", "prefix0001"));

        var failure = await Assert.ThrowsAsync<DbUpdateException>(() => db.SaveChangesAsync());

        Assert.True(DbErrors.IsUniqueViolation(failure));
    }

    [Fact]
    public async Task A_failed_save_writes_none_of_its_rows()
    {
        await SeedAsync(Tenant("tn-a"), User("us-a", "tn-a", "taken@example.com"));
        await using (var db = NewContext())
        {
            db.Tenants.Add(Tenant("tn-new"));
            db.ApiKeys.Add(Key("ak-new", "tn-new", "prefix0002"));
            db.Users.Add(User("us-new", "tn-new", "taken@example.com"));
            await Assert.ThrowsAsync<DbUpdateException>(() => db.SaveChangesAsync());
        }

        await using var check = NewContext();
        Assert.False(await check.Tenants.AnyAsync(t => t.Id == "tn-new"));
        Assert.False(await check.ApiKeys.AnyAsync(k => k.Id == "ak-new"));
        Assert.Equal(1, await check.Users.CountAsync());
    }

    [Fact]
    public async Task Of_many_concurrent_inserts_of_one_email_exactly_one_wins()
    {
        await SeedAsync(Tenant("tn-a"));

        var outcomes = await Task.WhenAll(Enumerable.Range(0, 12).Select(async i =>
        {
            await using var db = NewContext();
            db.Users.Add(User($"us-{i}", "tn-a", "race@example.com"));
            try
            {
                await db.SaveChangesAsync();
                return true;
            }
            catch (DbUpdateException exception) when (DbErrors.IsUniqueViolation(exception))
            {
                return false;
            }
        }));

        Assert.Single(outcomes, won => won);
        await using var check = NewContext();
        Assert.Equal(1, await check.Users.CountAsync(u => u.Email == "race@example.com"));
    }

    [Fact]
    public async Task Times_come_back_as_the_same_utc_instant()
    {
        var created = new DateTime(2026, 3, 4, 5, 6, 7, DateTimeKind.Utc).AddTicks(1234560);
        var tenant = Tenant("tn-time");
        tenant.CreateTime = created;
        await SeedAsync(tenant);

        await using var db = NewContext();
        var read = await db.Tenants.SingleAsync(t => t.Id == "tn-time");

        Assert.Equal(created, DateTime.SpecifyKind(read.CreateTime, DateTimeKind.Utc));
    }

    [Fact]
    public async Task Ids_order_as_ordinal_text_so_keyset_pages_are_stable()
    {
        // Ids are lower-case base32; the database must order them as the gateway compares them.
        string[] ids = ["tn0zz", "tn10a", "tna01", "tn9yy", "tnz00", "tn00b", "tnm5k"];
        await SeedAsync(ids.Select(Tenant).ToArray());

        await using var db = NewContext();
        var ascending = await db.Tenants.OrderBy(t => t.Id).Select(t => t.Id).ToListAsync();
        var after = await db.Tenants.Where(t => t.Id.CompareTo("tn9yy") > 0).OrderBy(t => t.Id).Select(t => t.Id).ToListAsync();

        Assert.Equal(ids.Order(StringComparer.Ordinal), ascending);
        Assert.Equal(ids.Where(id => string.CompareOrdinal(id, "tn9yy") > 0).Order(StringComparer.Ordinal), after);
    }

    [Fact]
    public async Task A_tenant_scoped_delete_leaves_other_tenants_rows_alone()
    {
        await SeedAsync(Tenant("tn-a"), Tenant("tn-b"), Key("ak-1", "tn-a", "prefix000a"), Key("ak-2", "tn-b", "prefix000b"));

        await using var db = NewContext();
        var deleted = await db.ApiKeys.Where(k => k.TenantId == "tn-a" && k.Id == "ak-2").ExecuteDeleteAsync();

        Assert.Equal(0, deleted);
        Assert.Equal(2, await db.ApiKeys.CountAsync());
    }

    private async Task SeedAsync(params object[] rows)
    {
        await using var db = NewContext();
        db.AddRange(rows);
        await db.SaveChangesAsync();
    }

    private static SessionRecord Session(string tenantId, string id) => new()
    {
        TenantId = tenantId,
        Id = id,
        DisplayName = "Session " + id,
        CreateTime = DateTime.UtcNow,
        UpdateTime = DateTime.UtcNow,
    };

    private static TenantRecord Tenant(string id) => new()
    {
        Id = id,
        DisplayName = "Tenant " + id,
        CreateTime = DateTime.UtcNow,
        UpdateTime = DateTime.UtcNow,
    };

    private static UserRecord User(string id, string tenantId, string email) => new()
    {
        Id = id,
        Email = email,
        DisplayName = "User " + id,
        PasswordHash = "pbkdf2-sha256$1$AA==$AA==",
        TenantId = tenantId,
        CreateTime = DateTime.UtcNow,
    };

    private static ApiKeyRecord Key(string id, string tenantId, string prefix) => new()
    {
        Id = id,
        TenantId = tenantId,
        DisplayName = "Key " + id,
        Prefix = prefix,
        SecretHash = new byte[32],
        Scopes = "sessions.read",
        CreatorUserId = "us-a",
        CreateTime = DateTime.UtcNow,
    };
}
