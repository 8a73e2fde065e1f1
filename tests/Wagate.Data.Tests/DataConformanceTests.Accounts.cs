using Microsoft.EntityFrameworkCore;
using Wagate.Data.Accounts;
using Wagate.Data.Entities;
using Xunit;

namespace Wagate.Data.Tests;

/// <summary>Users and API keys: a tenant comes with its owner and first key or not at all, a
/// credential is found with its tenant's state, and everything else stays within one tenant.</summary>
public abstract partial class DataConformanceTests
{
    [Fact]
    public async Task A_tenant_is_added_with_its_owner_and_key_or_not_at_all()
    {
        await SeedAsync(Tenant("tn-a"), User("us-a", "tn-a", "taken@example.com"));
        await using var db = NewContext();
        var store = new AccountStore(db);

        var refused = await store.AddTenantWithOwnerAsync(Tenant("tn-x"), User("us-x", "tn-x", "taken@example.com"), Key("ak-x", "tn-x", "prefix000x"));
        var added = await store.AddTenantWithOwnerAsync(Tenant("tn-y"), User("us-y", "tn-y", "new@example.com"), Key("ak-y", "tn-y", "prefix000y"));

        Assert.False(refused);
        Assert.True(added);
        Assert.Empty(db.ChangeTracker.Entries());
        await using var check = NewContext();
        Assert.Equal(["tn-a", "tn-y"], await check.Tenants.OrderBy(t => t.Id).Select(t => t.Id).ToListAsync());
        Assert.Equal(["ak-y"], await check.ApiKeys.Select(k => k.Id).ToListAsync());
        Assert.True(await store.EmailTakenAsync("new@example.com"));
        Assert.False(await store.EmailTakenAsync("other@example.com"));
    }

    [Fact]
    public async Task Of_concurrent_registrations_of_one_email_exactly_one_adds_its_tenant()
    {
        var outcomes = await Task.WhenAll(Enumerable.Range(0, 8).Select(async i =>
        {
            await using var db = NewContext();
            return await new AccountStore(db).AddTenantWithOwnerAsync(
                Tenant($"tn-{i}"), User($"us-{i}", $"tn-{i}", "race@example.com"), Key($"ak-{i}", $"tn-{i}", $"prefix100{i}"));
        }));

        Assert.Single(outcomes, won => won);
        await using var check = NewContext();
        Assert.Equal(1, await check.Tenants.CountAsync());
        Assert.Equal(1, await check.ApiKeys.CountAsync());
    }

    [Fact]
    public async Task Credentials_are_found_with_their_tenants_state()
    {
        var suspended = Tenant("tn-a");
        suspended.State = TenantState.Suspended;
        await SeedAsync(suspended, User("us-a", "tn-a", "a@example.com"), Key("ak-1", "tn-a", "prefix0001"));
        await using var db = NewContext();
        var store = new AccountStore(db);

        var byEmail = await store.FindUserByEmailAsync("a@example.com");
        var byId = await store.FindUserByIdAsync("us-a");
        var byPrefix = await store.FindApiKeyByPrefixAsync("prefix0001");

        Assert.Equal(("us-a", TenantState.Suspended), (byEmail!.User.Id, byEmail.TenantState));
        Assert.Equal(("a@example.com", TenantState.Suspended), (byId!.User.Email, byId.TenantState));
        Assert.Equal(("ak-1", TenantState.Suspended), (byPrefix!.Key.Id, byPrefix.TenantState));
        Assert.Null(await store.FindUserByEmailAsync("b@example.com"));
        Assert.Null(await store.FindUserByIdAsync("us-b"));
        Assert.Null(await store.FindApiKeyByPrefixAsync("prefix0002"));
        Assert.Empty(db.ChangeTracker.Entries());
    }

    [Fact]
    public async Task User_and_key_reads_and_writes_are_scoped_to_the_tenant()
    {
        await SeedAsync(Tenant("tn-a"), Tenant("tn-b"), User("us-a", "tn-a", "a@example.com"), Key("ak-1", "tn-a", "prefix0001"));
        await using var db = NewContext();
        var store = new AccountStore(db);

        Assert.Null(await store.GetUserAsync("tn-b", "us-a"));
        Assert.False(await store.MakePlatformAdminAsync("tn-b", "us-a"));
        Assert.False(await store.RecordApiKeyUseAsync("tn-b", "ak-1", T0));
        Assert.False(await store.DeleteApiKeyAsync("tn-b", "ak-1"));
        Assert.Equal(0, await store.CountApiKeysAsync("tn-b"));
        Assert.Empty((await store.ListApiKeysAsync("tn-b", null, 10)).Items);
        Assert.False(await store.HasPlatformAdminAsync("tn-a"));

        Assert.True(await store.MakePlatformAdminAsync("tn-a", "us-a"));
        Assert.True(await store.RecordApiKeyUseAsync("tn-a", "ak-1", T0));
        Assert.True((await store.GetUserAsync("tn-a", "us-a"))!.PlatformAdmin);
        Assert.True(await store.HasPlatformAdminAsync("tn-a"));
        Assert.False(await store.HasPlatformAdminAsync("tn-b"));
        Assert.Equal(T0, (await store.FindApiKeyByPrefixAsync("prefix0001"))!.Key.LastUseTime);
        Assert.True(await store.DeleteApiKeyAsync("tn-a", "ak-1"));
        Assert.Null(await store.FindApiKeyByPrefixAsync("prefix0001"));
    }

    [Fact]
    public async Task Api_keys_list_newest_first_in_pages()
    {
        await SeedAsync(Tenant("tn-a"));
        await using var db = NewContext();
        var store = new AccountStore(db);
        for (var i = 1; i <= 5; i++)
        {
            await store.AddApiKeyAsync(Key($"ak-{i}", "tn-a", $"prefix000{i}"));
        }

        var first = await store.ListApiKeysAsync("tn-a", null, 2);
        var second = await store.ListApiKeysAsync("tn-a", first.NextAfterId, 2);
        var third = await store.ListApiKeysAsync("tn-a", second.NextAfterId, 2);

        Assert.Equal(["ak-5", "ak-4", "ak-3", "ak-2", "ak-1"], first.Items.Concat(second.Items).Concat(third.Items).Select(k => k.Id));
        Assert.Null(third.NextAfterId);
        Assert.Equal(5, await store.CountApiKeysAsync("tn-a"));
        Assert.Empty(db.ChangeTracker.Entries());
    }
}
