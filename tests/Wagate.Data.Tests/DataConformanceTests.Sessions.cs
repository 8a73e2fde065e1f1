using Microsoft.EntityFrameworkCore;
using Wagate.Core;
using Wagate.Data.Entities;
using Wagate.Data.Sessions;
using Xunit;
using SessionState = Wagate.Contracts.Session.V1.Session.Types.State;

namespace Wagate.Data.Tests;

/// <summary>The gateway's side of sessions: ids unique per tenant only, every read and write
/// within one tenant, and the two reads that span the platform.</summary>
public abstract partial class DataConformanceTests
{
    [Fact]
    public async Task Of_concurrent_adds_of_one_session_id_one_wins_and_another_tenant_may_use_it()
    {
        await SeedAsync(Tenant("tn-a"), Tenant("tn-b"));

        var outcomes = await Task.WhenAll(Enumerable.Range(0, 8).Select(async _ =>
        {
            await using var db = NewContext();
            return await new GatewaySessionStore(db).AddAsync(Session("tn-a", "support"));
        }));
        await using var check = NewContext();
        var store = new GatewaySessionStore(check);
        var otherTenant = await store.AddAsync(Session("tn-b", "support"));

        Assert.Single(outcomes, added => added);
        Assert.True(otherTenant);
        Assert.Equal(1, await store.CountAsync("tn-a"));
        Assert.Equal(1, await store.CountAsync("tn-b"));
    }

    [Fact]
    public async Task A_refused_session_leaves_nothing_for_the_next_save()
    {
        await SeedAsync(Tenant("tn-a"), Session("tn-a", "s1"));
        await using var db = NewContext();
        var store = new GatewaySessionStore(db);

        var again = await store.AddAsync(Session("tn-a", "s1"));
        var next = await store.AddAsync(Session("tn-a", "s2"));

        Assert.False(again);
        Assert.True(next);
        Assert.Empty(db.ChangeTracker.Entries());
    }

    [Fact]
    public async Task Session_reads_and_writes_are_scoped_to_the_tenant()
    {
        var pro = Tenant("tn-a");
        pro.Plan = TenantPlan.Pro;
        await SeedAsync(pro, Tenant("tn-b"), Session("tn-a", "s1"));
        await using var db = NewContext();
        var store = new GatewaySessionStore(db);

        Assert.Null(await store.GetAsync("tn-b", "s1"));
        Assert.False(await store.ExistsAsync("tn-b", "s1"));
        Assert.Null(await store.PlanOfAsync("tn-b", "s1"));
        Assert.Equal(0, await store.CountAsync("tn-b"));
        Assert.Empty((await store.ListAsync("tn-b", null, 10)).Items);
        Assert.False(await store.DeleteAsync("tn-b", "s1"));

        Assert.Equal((int)SessionState.Unspecified, (await store.GetAsync("tn-a", "s1"))!.State);
        Assert.Equal(TenantPlan.Pro, await store.PlanOfAsync("tn-a", "s1"));
        Assert.True(await store.DeleteAsync("tn-a", "s1"));
        Assert.False(await store.ExistsAsync("tn-a", "s1"));
    }

    [Fact]
    public async Task Sessions_list_in_id_order_in_pages()
    {
        string[] ids = ["s3", "s1", "s5", "s2", "s4"];
        await SeedAsync([Tenant("tn-a"), Tenant("tn-b"), Session("tn-b", "s0"), .. ids.Select(id => Session("tn-a", id))]);
        await using var db = NewContext();
        var store = new GatewaySessionStore(db);

        var first = await store.ListAsync("tn-a", null, 3);
        var second = await store.ListAsync("tn-a", first.NextAfterId, 3);

        Assert.Equal(["s1", "s2", "s3"], first.Items.Select(s => s.Id));
        Assert.Equal("s3", first.NextAfterId);
        Assert.Equal(["s4", "s5"], second.Items.Select(s => s.Id));
        Assert.Null(second.NextAfterId);
    }

    [Fact]
    public async Task Sessions_to_resume_and_the_platform_count_span_every_tenant()
    {
        var connected = Session("tn-a", "s1");
        connected.State = (int)SessionState.Connected;
        var loggedOut = Session("tn-a", "s2");
        loggedOut.State = (int)SessionState.LoggedOut;
        var starting = Session("tn-b", "s1");
        starting.State = (int)SessionState.Starting;
        await SeedAsync(Tenant("tn-a"), Tenant("tn-b"), connected, loggedOut, starting);
        await using var db = NewContext();
        var store = new GatewaySessionStore(db);

        var resumable = await store.ListAcrossTenantsAsync([SessionState.Disconnected, SessionState.LoggedOut, SessionState.Failed]);

        Assert.Equal([("tn-a", "s1"), ("tn-b", "s1")], resumable.Select(s => (s.TenantId, s.Id)).Order());
        Assert.Equal(3, await store.CountAllAsync());
    }
}
