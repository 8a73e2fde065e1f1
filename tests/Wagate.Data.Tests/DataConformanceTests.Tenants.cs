using Wagate.Data.Entities;
using Wagate.Data.Tenants;
using Xunit;

namespace Wagate.Data.Tests;

/// <summary>Tenants as the gateway administers them: a state change writes only its columns,
/// counts stay within their tenant, and the administrators' list and count span the platform.</summary>
public abstract partial class DataConformanceTests
{
    [Fact]
    public async Task Suspending_a_tenant_returns_the_row_as_written_and_changes_nothing_else()
    {
        await SeedAsync(Tenant("tn-a"));
        await AppendAsync("tn-a", "s1");
        await AppendAsync("tn-a", "s1");
        await using var db = NewContext();
        var store = new TenantStore(db);
        var at = T0.AddHours(1);
        var cursorBefore = (await store.GetAsync("tn-a"))!.LastEventCursor;
        db.ChangeTracker.Clear();

        var suspended = await store.SetStateAsync("tn-a", TenantState.Suspended, "unpaid", at);
        var read = await store.GetAsync("tn-a");
        var missing = await store.SetStateAsync("tn-missing", TenantState.Active, "", at);

        Assert.Equal((TenantState.Suspended, "unpaid", at), (suspended!.State, suspended.SuspendReason, suspended.UpdateTime));
        Assert.Equal((TenantState.Suspended, "unpaid", at), (read!.State, read.SuspendReason, read.UpdateTime));
        Assert.Equal(("Tenant tn-a", cursorBefore), (read.DisplayName, read.LastEventCursor));
        Assert.Null(missing);
        Assert.Empty(db.ChangeTracker.Entries());
    }

    [Fact]
    public async Task A_tenant_counts_only_its_own_keys_members_and_sessions()
    {
        await SeedAsync(
            Tenant("tn-a"), Tenant("tn-b"),
            User("us-a", "tn-a", "a@example.com"), User("us-b", "tn-a", "b@example.com"), User("us-c", "tn-b", "c@example.com"),
            Key("ak-1", "tn-a", "prefix0001"), Key("ak-2", "tn-b", "prefix0002"),
            Session("tn-a", "s1"), Session("tn-b", "s1"), Session("tn-b", "s2"));
        await using var db = NewContext();
        var store = new TenantStore(db);

        Assert.Equal(new TenantCounts(ApiKeys: 1, Members: 2, Sessions: 1), await store.CountAsync("tn-a"));
        Assert.Equal(new TenantCounts(ApiKeys: 1, Members: 1, Sessions: 2), await store.CountAsync("tn-b"));
        Assert.Equal(new TenantCounts(0, 0, 0), await store.CountAsync("tn-missing"));
        Assert.Equal(TenantPlan.Free, await store.PlanOfAsync("tn-a"));
        Assert.Equal(2, await store.CountAllAsync());
    }

    [Fact]
    public async Task Tenants_list_in_id_order_in_pages()
    {
        await SeedAsync(Tenant("tn3"), Tenant("tn1"), Tenant("tn2"));
        await using var db = NewContext();
        var store = new TenantStore(db);

        var first = await store.ListAsync(null, 2);
        var second = await store.ListAsync(first.NextAfterId, 2);

        Assert.Equal(["tn1", "tn2"], first.Items.Select(t => t.Id));
        Assert.Equal(["tn3"], second.Items.Select(t => t.Id));
        Assert.Null(second.NextAfterId);
        Assert.Null(await store.GetAsync("tn4"));
    }
}
