using Wagate.Cluster.Membership;
using Wagate.Testing;
using Xunit;

namespace Wagate.Cluster.Tests.Membership;

/// <summary>Workers join with a lease and report their load; gateways see them through a
/// directory fed by a watch; a worker that dies (its lease runs out) or leaves drops out.</summary>
public abstract class WorkerMembershipTests : IAsyncLifetime
{
    private static readonly TimeSpan LeaseTtl = TimeSpan.FromSeconds(2);
    private readonly List<IAsyncDisposable> _owned = [];

    /// <summary>The store a worker process writes to.</summary>
    protected abstract ICoordinator WorkerSide { get; }

    /// <summary>The same store as a gateway process reaches it.</summary>
    protected abstract ICoordinator GatewaySide { get; }

    public virtual Task InitializeAsync() => Task.CompletedTask;

    public virtual async Task DisposeAsync()
    {
        foreach (var owned in Enumerable.Reverse(_owned))
        {
            await owned.DisposeAsync();
        }
    }

    [Fact]
    public async Task A_registered_worker_appears_with_its_reported_load()
    {
        var directory = await DirectoryAsync();

        var worker = await RegisterAsync("workers/w1");
        await Poll.UntilAsync(() => directory.Find("workers/w1") is not null);
        await worker.ReportAsync(sessionCount: 7, draining: true);
        await Poll.UntilAsync(() => directory.Find("workers/w1")?.SessionCount == 7);

        var seen = directory.Find("workers/w1")!;
        Assert.Equal(("127.0.0.1:9001", 100, 7, true), (seen.Address, seen.Capacity, seen.SessionCount, seen.Draining));
    }

    [Fact]
    public async Task A_directory_started_late_sees_the_workers_already_there()
    {
        await RegisterAsync("workers/w1");
        await RegisterAsync("workers/w2");

        var directory = await DirectoryAsync();

        Assert.Equal(["workers/w1", "workers/w2"], directory.Workers.Select(w => w.Name));
    }

    [Fact]
    public async Task A_second_process_cannot_register_a_live_workers_name()
    {
        await RegisterAsync("workers/w1");

        await Assert.ThrowsAsync<InvalidOperationException>(() =>
            WorkerRegistration.RegisterAsync(GatewaySide, Record("workers/w1"), LeaseTtl, TimeProvider.System));
    }

    [Fact]
    public async Task A_worker_whose_lease_runs_out_drops_out_and_learns_it_lost()
    {
        var directory = await DirectoryAsync();
        var dying = await RegisterAsync("workers/dying");
        await RegisterAsync("workers/alive");
        await Poll.UntilAsync(() => directory.Workers.Count == 2);

        dying.Lease.StopKeepAlive(); // as a killed or frozen process stops renewing

        await Poll.UntilAsync(() => directory.Find("workers/dying") is null);
        await Poll.UntilAsync(() => dying.Lost.IsCancellationRequested);
        Assert.Equal(["workers/alive"], directory.Workers.Select(w => w.Name));
        Assert.True(dying.Lost.IsCancellationRequested);
        // Its name is free again for the process that replaces it.
        await RegisterAsync("workers/dying");
    }

    [Fact]
    public async Task A_worker_that_leaves_drops_out_at_once()
    {
        var directory = await DirectoryAsync();
        var leaving = await WorkerRegistration.RegisterAsync(WorkerSide, Record("workers/leaving"), LeaseTtl, TimeProvider.System);
        await Poll.UntilAsync(() => directory.Find("workers/leaving") is not null);

        await leaving.DisposeAsync();

        await Poll.UntilAsync(() => directory.Find("workers/leaving") is null);
        Assert.Empty(directory.Workers);
    }

    [Fact]
    public async Task A_worker_that_misses_two_heartbeats_is_silent_before_its_lease_runs_out_and_heard_again_at_the_next()
    {
        var clock = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(DateTimeOffset.UnixEpoch);
        var directory = await WorkerDirectory.StartAsync(GatewaySide, clock);
        _owned.Add(directory);
        var beating = await WorkerRegistration.RegisterAsync(WorkerSide, Record("workers/beating") with { HeartbeatMillis = 1000 }, LeaseTtl, TimeProvider.System);
        var promisingNothing = await RegisterAsync("workers/no-heartbeat");
        _owned.Add(beating);
        await Poll.UntilAsync(() => directory.Find("workers/beating") is not null && directory.Find("workers/no-heartbeat") is not null);

        clock.Advance(TimeSpan.FromSeconds(2));
        var afterOneMissed = directory.IsSilent("workers/beating");
        clock.Advance(TimeSpan.FromSeconds(1));
        var afterTwoMissed = directory.IsSilent("workers/beating");
        await beating.ReportAsync(sessionCount: 3, draining: false);
        await Poll.UntilAsync(() => directory.Find("workers/beating")?.SessionCount == 3);

        Assert.False(afterOneMissed);
        Assert.True(afterTwoMissed);
        Assert.False(directory.IsSilent("workers/beating"));
        Assert.False(directory.IsSilent("workers/no-heartbeat")); // promised none: only its lease says
        Assert.False(directory.IsSilent("workers/unknown"));
        Assert.NotNull(promisingNothing);
    }

    private async Task<WorkerDirectory> DirectoryAsync()
    {
        var directory = await WorkerDirectory.StartAsync(GatewaySide);
        _owned.Add(directory);
        return directory;
    }

    private async Task<WorkerRegistration> RegisterAsync(string name)
    {
        var registration = await WorkerRegistration.RegisterAsync(WorkerSide, Record(name), LeaseTtl, TimeProvider.System);
        _owned.Add(registration);
        return registration;
    }

    private static WorkerRecord Record(string name) =>
        new(name, "127.0.0.1:9001", Capacity: 100, SessionCount: 0, ProcessId: 4242, Draining: false, DateTimeOffset.UnixEpoch);
}

public sealed class InMemoryWorkerMembershipTests : WorkerMembershipTests
{
    private readonly InMemoryCoordinator _store = new();

    protected override ICoordinator WorkerSide => _store;

    protected override ICoordinator GatewaySide => _store;
}

public sealed class EtcdWorkerMembershipTests : WorkerMembershipTests
{
    private readonly EtcdCoordinator _worker;
    private readonly EtcdCoordinator _gateway;

    public EtcdWorkerMembershipTests()
    {
        var prefix = TestEtcd.NewKeyPrefix();
        _worker = new EtcdCoordinator(new EtcdCoordinatorOptions { Endpoint = TestEtcd.Endpoint, KeyPrefix = prefix });
        _gateway = new EtcdCoordinator(new EtcdCoordinatorOptions { Endpoint = TestEtcd.Endpoint, KeyPrefix = prefix });
    }

    protected override ICoordinator WorkerSide => _worker;

    protected override ICoordinator GatewaySide => _gateway;

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        _worker.Dispose();
        _gateway.Dispose();
    }
}
