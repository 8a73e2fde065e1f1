using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using Wagate.Cluster.Membership;
using Wagate.Cluster.Placement;
using Wagate.Core;
using Wagate.Testing;
using Xunit;

namespace Wagate.Cluster.Tests.Placement;

/// <summary>Two gateways each run a controller; one leads. Sessions are spread over the live
/// workers, a dead worker's sessions move to the survivors, and when the leading gateway goes the
/// other takes over placement.</summary>
public abstract class PlacementControllerTests : IAsyncLifetime
{
    private static readonly TimeSpan LeaseTtl = TimeSpan.FromSeconds(2);
    private readonly List<IAsyncDisposable> _owned = [];

    /// <summary>Process <paramref name="index"/>'s connection to the store.</summary>
    protected abstract ICoordinator Store(int index);

    public virtual Task InitializeAsync() => Task.CompletedTask;

    public virtual async Task DisposeAsync()
    {
        foreach (var owned in Enumerable.Reverse(_owned))
        {
            await owned.DisposeAsync();
        }
    }

    [Fact]
    public async Task Sessions_spread_over_the_workers_and_a_dead_workers_sessions_move_to_the_survivors()
    {
        var workers = new List<WorkerRegistration>();
        for (var i = 1; i <= 3; i++)
        {
            workers.Add(await RegisterAsync($"workers/w{i}", Store(i)));
        }
        await AddSessionsAsync(0, 30);
        Start("gateway-a", Store(4));
        Start("gateway-b", Store(5));

        var spread = await PlacementsWhenAsync(p => p.Count == 30);
        Assert.All(spread.GroupBy(p => p.Value), group => Assert.Equal(10, group.Count()));

        workers[0].Lease.StopKeepAlive(); // w1 dies

        var after = await PlacementsWhenAsync(p => p.Count == 30 && !p.ContainsValue("workers/w1"));
        Assert.All(after.GroupBy(p => p.Value), group => Assert.Equal(15, group.Count()));
        // Sessions of the survivors did not move.
        Assert.All(spread.Where(p => p.Value != "workers/w1"), p => Assert.Equal(p.Value, after[p.Key]));
    }

    [Fact]
    public async Task When_the_leading_gateway_goes_the_other_one_takes_over_placement()
    {
        await RegisterAsync("workers/w1", Store(1));
        var first = Start("gateway-a", Store(4));
        await Poll.UntilAsync(() => first.IsLeader);
        var second = Start("gateway-b", Store(5));
        await AddSessionsAsync(0, 5);
        await PlacementsWhenAsync(p => p.Count == 5);

        await first.DisposeAsync(); // the gateway that led is gone
        await AddSessionsAsync(5, 5);

        await PlacementsWhenAsync(p => p.Count == 10);
        Assert.True(second.IsLeader);
    }

    private PlacementController Start(string candidate, ICoordinator store)
    {
        var controller = PlacementController.Start(store, candidate, LeaseTtl, NullLogger.Instance);
        _owned.Add(controller);
        return controller;
    }

    private async Task<WorkerRegistration> RegisterAsync(string name, ICoordinator store)
    {
        var registration = await WorkerRegistration.RegisterAsync(store,
            new WorkerRecord(name, "127.0.0.1:1", 100, 0, 1, false, DateTimeOffset.UnixEpoch), LeaseTtl, TimeProvider.System);
        _owned.Add(registration);
        return registration;
    }

    private async Task AddSessionsAsync(int from, int count)
    {
        for (var i = from; i < from + count; i++)
        {
            await Store(0).PutAsync(ClusterKeys.Of(ClusterKeys.Sessions, $"tenants/tn1/sessions/s{i:D3}"), Encoding.UTF8.GetBytes("1"));
        }
    }

    private async Task<Dictionary<string, string>> PlacementsWhenAsync(Func<Dictionary<string, string>, bool> condition) =>
        await Poll.UntilAsync(async () =>
        {
            var placements = (await Store(0).GetPrefixAsync(ClusterKeys.Placements)).Items.ToDictionary(
                item => ClusterKeys.SessionOf(ClusterKeys.Placements, item.Key), item => Encoding.UTF8.GetString(item.Value));
            return condition(placements) ? placements : null;
        }, TimeSpan.FromSeconds(30));
}

public sealed class InMemoryPlacementControllerTests : PlacementControllerTests
{
    private readonly InMemoryCoordinator _store = new();

    protected override ICoordinator Store(int index) => _store;
}

public sealed class EtcdPlacementControllerTests : PlacementControllerTests
{
    private readonly string _prefix = TestEtcd.NewKeyPrefix();
    private readonly Dictionary<int, EtcdCoordinator> _stores = [];

    protected override ICoordinator Store(int index)
    {
        if (!_stores.TryGetValue(index, out var store))
        {
            store = new EtcdCoordinator(new EtcdCoordinatorOptions { Endpoint = TestEtcd.Endpoint, KeyPrefix = _prefix });
            _stores[index] = store;
        }
        return store;
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        foreach (var store in _stores.Values)
        {
            store.Dispose();
        }
    }
}
