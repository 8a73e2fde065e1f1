using System.Text;
using Wagate.Cluster;
using Wagate.Cluster.Placement;
using Wagate.Contracts.Admin.V1;
using Wagate.Contracts.Sandbox.V1;
using Wagate.Contracts.Session.V1;
using Wagate.Core;
using Wagate.DevCluster.Fleet;
using Wagate.DevCluster.Processes;
using Wagate.Testing;
using Xunit;
using State = Wagate.Contracts.Session.V1.Session.Types.State;
using WorkerState = Wagate.Contracts.Admin.V1.Worker.Types.State;

namespace Wagate.DevCluster.Tests;

/// <summary>The cluster's promises, each on a cluster of real processes of its own (gateways,
/// workers, the sandbox network; real PostgreSQL, etcd and S3 server) with many sessions linked
/// through the public API: a dead, frozen or drained worker's sessions come back CONNECTED on the
/// others with no rescan and no reconnect ping-pong, a dead gateway's placement duty passes to
/// the other, and an etcd restart costs no session. "No rescan" is read from the sandbox network:
/// every session keeps the one device it paired (a rescan pairs a new one) and its phone number.
/// "No ping-pong" too: no device connection is replaced by another of the same device, beyond
/// the one takeover of a frozen worker's connection.</summary>
[Collection(FailoverTestsInSequence.Name)]
public sealed class FailoverTests : IAsyncLifetime
{
    private static readonly TimeSpan LinkPatience = TimeSpan.FromMinutes(3);

    /// <summary>Lease TTL plus a generous margin: the suite runs beside the others on two cores.</summary>
    private static readonly TimeSpan MovePatience = TestClusters.LeaseTtl + TimeSpan.FromSeconds(60);

    private readonly TempDirectory _directory = new();
    private readonly List<IAsyncDisposable> _owned = [];

    [Fact]
    public async Task Killing_a_worker_with_300_sessions_brings_them_all_back_connected_on_the_others()
    {
        var cluster = await StartClusterAsync(workers: 3);
        using var fleet = await FleetAsync(cluster);
        await fleet.LinkAsync(300, LinkPatience);
        var (victim, moving) = await BusiestWorkerAsync(cluster, fleet);

        victim.Kill(); // kill -9: no goodbye, its lease must run out

        await WaitAllConnectedAsync(fleet, elsewhereThan: victim.WorkerName);
        await AssertNoRescanAsync(fleet, 300);
        await AssertDevicesAsync(fleet, moving, openedWhenMoved: 2, replacedWhenMoved: 0);
    }

    [Fact]
    public async Task Sessions_of_a_worker_that_stopped_heartbeating_are_not_shown_connected_while_its_lease_still_runs()
    {
        // A long lease, so that "before it runs out" leaves room on a loaded machine: heartbeats
        // every 5 s, silent after two missed (10.5 s), the lease gone after 20 s.
        var options = await TestClusters.OptionsAsync(_directory.Path, workers: 2) with { LeaseTtl = TimeSpan.FromSeconds(20) };
        var cluster = await LocalCluster.StartAsync(options, TestClusters.Build);
        _owned.Insert(0, cluster);
        using var fleet = await FleetAsync(cluster);
        await fleet.LinkAsync(10, LinkPatience);
        var (victim, frozen) = await BusiestWorkerAsync(cluster, fleet);
        var frozenLease = (await victim.FindRegistrationAsync())!.LeaseId;

        victim.Pause(); // SIGSTOP: its sockets stay open, its lease runs on
        var shown = await Poll.UntilAsync(async () =>
        {
            var sessions = (await fleet.ListAsync()).Where(s => frozen.Contains(s.Name)).ToList();
            return sessions.All(s => s.State != State.Connected) ? sessions : null;
        }, TimeSpan.FromSeconds(60));
        var stillRegistered = await victim.FindRegistrationAsync();
        victim.Resume();

        Assert.All(shown, s => Assert.Equal((State.Starting, ""), (s.State, s.Worker)));
        Assert.Equal(frozenLease, stillRegistered?.LeaseId);
    }

    [Fact]
    public async Task A_worker_frozen_past_its_lease_writes_nothing_that_counts_and_drops_its_sessions_when_it_wakes()
    {
        var cluster = await StartClusterAsync(workers: 3);
        using var fleet = await FleetAsync(cluster);
        await fleet.LinkAsync(60, LinkPatience);
        var (victim, moving) = await BusiestWorkerAsync(cluster, fleet);
        var frozenLease = (await victim.FindRegistrationAsync())!.LeaseId;
        using var etcd = new EtcdCoordinator(new EtcdCoordinatorOptions { Endpoint = cluster.Options.Etcd, KeyPrefix = cluster.Options.EtcdPrefix });
        var lost = SessionKey.Parse(moving.First());
        var lostToken = (await etcd.GetAsync(ClusterKeys.Owner(lost)))!.CreateRevision;

        victim.Pause(); // SIGSTOP: alive and connected, renewing nothing
        await WaitAllConnectedAsync(fleet, elsewhereThan: victim.WorkerName);
        victim.Resume(); // SIGCONT: it finds its lease gone

        // It joins again as a fresh member, the same process under a new lease, running nothing.
        var rejoined = await Poll.UntilAsync(async () => await victim.FindRegistrationAsync() is { } r && r.LeaseId != frozenLease ? r : null, MovePatience);
        Assert.Equal(victim.ProcessId, rejoined.ProcessId);
        Assert.False(victim.HasExited);
        // Long enough for anything it still had to say to land, if it could.
        await Task.Delay(2 * TestClusters.LeaseTtl);
        var after = await fleet.ListAsync();
        Assert.All(after, s => Assert.Equal((State.Connected, true), (s.State, s.Worker != victim.WorkerName)));
        await AssertNoRescanAsync(fleet, 60);
        // The frozen connection may have been replaced once by the takeover, never again.
        await AssertDevicesAsync(fleet, moving, openedWhenMoved: 2, replacedWhenMoved: null);
        Assert.Equal(0, (await victim.FindRegistrationAsync())?.SessionCount);

        // Nor can it wipe a session it lost, under the token it held: refused, the new owner's
        // state untouched (the move below needs no rescan).
        using (var channel = Grpc.Net.Client.GrpcChannel.ForAddress(victim.Address))
        {
            var refused = await Assert.ThrowsAsync<InvalidOperationException>(() =>
                new Wagate.Core.Workers.GrpcWorkerClient(victim.WorkerName, channel).WipeSessionAsync(lost, lostToken));
            Assert.Contains("owned by another writer", refused.Message);
        }

        // The state the survivors carry on is intact: the session whose wipe was refused moves
        // again with no rescan.
        using var admin = await ClusterAdmin.SignInAsync(cluster, cluster.Gateways[0]);
        var session = after.Single(s => s.Name == lost.Name);
        var target = cluster.Workers.First(w => w.WorkerName != session.Worker && w != victim).WorkerName;
        await admin.Client.MigrateSessionAsync(new MigrateSessionRequest { Name = session.Name, TargetWorker = target }, admin.Headers);
        await fleet.WaitAsync(all => all.Single(s => s.Name == session.Name) is { State: State.Connected } s && s.Worker == target,
            new CancellationTokenSource(MovePatience).Token);
    }

    [Fact]
    public async Task Killing_the_gateway_that_places_sessions_leaves_the_other_serving_and_placing()
    {
        var cluster = await StartClusterAsync(workers: 2);
        var leader = await Poll.UntilAsync(async () => await PlacementLeaderAsync(cluster), MovePatience);
        var survivor = cluster.Gateways.Single(g => g != leader);
        using var fleet = await FleetAsync(cluster, survivor);
        var linked = await fleet.LinkAsync(5, LinkPatience);

        leader.Kill();

        // Sessions already placed carry on, served by the survivor.
        Assert.All(await fleet.ListAsync(), s => Assert.Equal(State.Connected, s.State));
        // New ones get placed: the survivor's controller took over.
        await fleet.LinkAsync(5, LinkPatience);
        Assert.Equal(survivor, await Poll.UntilAsync(async () => await PlacementLeaderAsync(cluster), MovePatience));
        await AssertNoRescanAsync(fleet, 10);
        Assert.Equal(5, linked.Count);
    }

    [Fact]
    public async Task Drain_moves_every_session_of_a_worker_and_migrate_moves_one_both_without_a_rescan()
    {
        var cluster = await StartClusterAsync(workers: 3);
        using var fleet = await FleetAsync(cluster);
        await fleet.LinkAsync(60, LinkPatience);
        using var admin = await ClusterAdmin.SignInAsync(cluster, cluster.Gateways[1]);

        var before = await fleet.ListAsync();
        var migrated = before[0];
        var target = cluster.Workers.First(w => w.WorkerName != migrated.Worker).WorkerName;
        var response = await admin.Client.MigrateSessionAsync(new MigrateSessionRequest { Name = migrated.Name, TargetWorker = target }, admin.Headers);
        Assert.Equal(target, response.Session.Worker);

        var (drained, onDrained) = await BusiestWorkerAsync(cluster, fleet);
        var result = await admin.Client.DrainWorkerAsync(new DrainWorkerRequest { Name = drained.WorkerName }, admin.Headers);
        Assert.Equal(onDrained.Order(), result.MovedSessions.Order());
        Assert.Equal(WorkerState.Draining, result.Worker.State);

        await WaitAllConnectedAsync(fleet, elsewhereThan: drained.WorkerName);
        var listed = (await admin.Client.ListWorkersAsync(new ListWorkersRequest(), admin.Headers)).Workers;
        Assert.Equal(WorkerState.Draining, listed.Single(w => w.Name == drained.WorkerName).State);
        Assert.Equal(drained.ProcessId, listed.Single(w => w.Name == drained.WorkerName).ProcessId);
        await AssertNoRescanAsync(fleet, 60);
        var moved = onDrained.Append(migrated.Name).ToHashSet();
        var devices = await fleet.DevicesAsync();
        Assert.All(devices, d => Assert.Equal(0, d.ReplacedCount));
        // One reconnect per move: the migrated session may have moved twice (migrated onto the drained worker).
        Assert.All(devices, d => Assert.InRange(d.OpenedCount, 1, moved.Contains(d.Session) ? 3 : 1));
    }

    [Fact]
    public async Task Restarting_etcd_under_load_loses_no_session()
    {
        var etcd = await EtcdProcess.StartAsync(Path.Combine(_directory.Path, "etcd"));
        _owned.Add(etcd);
        var options = await TestClusters.OptionsAsync(_directory.Path, workers: 3) with { Etcd = etcd.ClientUrl, EtcdPrefix = "" };
        var cluster = await LocalCluster.StartAsync(options, TestClusters.Build);
        _owned.Insert(0, cluster);
        using var fleet = await FleetAsync(cluster);
        await fleet.LinkAsync(100, LinkPatience);

        await etcd.StopAsync();
        await etcd.StartAsync();

        await Task.Delay(2 * TestClusters.LeaseTtl); // whatever the restart disturbed has shown by now
        await fleet.WaitAsync(all => all.All(s => s.State == State.Connected), new CancellationTokenSource(MovePatience).Token);
        await AssertNoRescanAsync(fleet, 100);
        Assert.All(await fleet.DevicesAsync(), d => Assert.Equal(0, d.ReplacedCount));
        // The cluster works on: new sessions are placed and linked.
        await fleet.LinkAsync(5, LinkPatience);
    }

    private async Task<LocalCluster> StartClusterAsync(int workers)
    {
        var cluster = await TestClusters.StartAsync(_directory.Path, workers);
        _owned.Insert(0, cluster);
        return cluster;
    }

    private static Task<SandboxFleet> FleetAsync(LocalCluster cluster, GatewayProcess? gateway = null) =>
        SandboxFleet.CreateAsync((gateway ?? cluster.Gateways[0]).GrpcAddress, cluster.Options.Postgres, cluster.Sandbox.Address);

    /// <summary>The worker running the most sessions, and those sessions.</summary>
    private static async Task<(WorkerProcess Worker, HashSet<string> Sessions)> BusiestWorkerAsync(LocalCluster cluster, SandboxFleet fleet)
    {
        var busiest = (await fleet.ListAsync()).GroupBy(s => s.Worker).OrderByDescending(g => g.Count()).First();
        Assert.False(string.IsNullOrEmpty(busiest.Key));
        return (cluster.Workers.Single(w => w.WorkerName == busiest.Key), busiest.Select(s => s.Name).ToHashSet());
    }

    /// <summary>The gateway whose placement controller leads, from its candidate name in etcd.</summary>
    private static async Task<GatewayProcess?> PlacementLeaderAsync(LocalCluster cluster)
    {
        using var etcd = new EtcdCoordinator(new EtcdCoordinatorOptions { Endpoint = cluster.Options.Etcd, KeyPrefix = cluster.Options.EtcdPrefix });
        var candidate = await etcd.GetAsync(ClusterKeys.Controller) is { } held ? Encoding.UTF8.GetString(held.Value) : null;
        return cluster.Gateways.FirstOrDefault(g => candidate is not null && candidate.EndsWith($"-{g.ProcessId}", StringComparison.Ordinal));
    }

    private static async Task WaitAllConnectedAsync(SandboxFleet fleet, string elsewhereThan)
    {
        IReadOnlyList<Session>? last = null;
        try
        {
            using var patience = new CancellationTokenSource(MovePatience);
            await fleet.WaitAsync(all => (last = all).All(s => s.State == State.Connected && s.Worker != elsewhereThan), patience.Token);
        }
        catch (OperationCanceledException)
        {
            var stuck = last?.Where(s => s.State != State.Connected || s.Worker == elsewhereThan).Take(5) ?? [];
            Assert.Fail($"Not every session came back connected away from {elsewhereThan}; for example: {string.Join("; ", stuck)}");
        }
    }

    /// <summary>Every session CONNECTED with the phone that linked it, and the sandbox network knows
    /// exactly one device per session: nobody scanned again.</summary>
    private static async Task AssertNoRescanAsync(SandboxFleet fleet, int count)
    {
        var sessions = await fleet.ListAsync();
        Assert.Equal(count, sessions.Count);
        Assert.All(sessions, s => Assert.Equal((State.Connected, SandboxFleet.PhoneOf(s.Name)), (s.State, s.PhoneNumber)));
        var devices = await fleet.DevicesAsync();
        Assert.Equal(sessions.Select(s => s.Name).Order(), devices.Select(d => d.Session).Order());
    }

    /// <summary>Sessions that moved connected <paramref name="openedWhenMoved"/> times in all, the
    /// others once; connections replaced as given (null: at most once).</summary>
    private static async Task AssertDevicesAsync(SandboxFleet fleet, HashSet<string> moved, int openedWhenMoved, int? replacedWhenMoved)
    {
        IReadOnlyList<DeviceStats> devices = await fleet.DevicesAsync();
        Assert.All(devices, d => Assert.True(d.Connected, $"{d.Session} is not connected"));
        Assert.All(devices, d => Assert.Equal(moved.Contains(d.Session) ? openedWhenMoved : 1, d.OpenedCount));
        Assert.All(devices, d =>
        {
            if (!moved.Contains(d.Session))
            {
                Assert.Equal(0, d.ReplacedCount);
            }
            else if (replacedWhenMoved is { } exactly)
            {
                Assert.Equal(exactly, d.ReplacedCount);
            }
            else
            {
                Assert.InRange(d.ReplacedCount, 0, 1);
            }
        });
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var owned in _owned)
        {
            await owned.DisposeAsync();
        }
        _directory.Dispose();
    }
}

/// <summary>The failover tests run one at a time: each runs a whole cluster with many sessions.</summary>
[CollectionDefinition(Name)]
public sealed class FailoverTestsInSequence
{
    public const string Name = "Failover";
}
