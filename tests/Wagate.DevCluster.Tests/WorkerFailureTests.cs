using Wagate.Cluster.Membership;
using Xunit;

namespace Wagate.DevCluster.Tests;

/// <summary>Workers that die or freeze leave the cluster by themselves: their lease runs out and
/// their registration vanishes. Each test takes down a worker of its own.</summary>
public sealed class WorkerFailureTests(ClusterFixture fixture) : IClassFixture<ClusterFixture>
{
    private static readonly TimeSpan LeasePatience = TestClusters.LeaseTtl + TestClusters.Margin;

    [Fact]
    public async Task A_killed_workers_registration_vanishes_within_its_lease_and_the_others_stay()
    {
        var victim = fixture.Cluster.Workers[0];
        await using var workers = await WorkerDirectory.StartAsync(fixture.Etcd);
        var others = fixture.Cluster.Workers.Where(w => w != victim && workers.Find(w.WorkerName) is not null).ToList();
        Assert.NotNull(workers.Find(victim.WorkerName));
        Assert.NotEmpty(others);

        victim.Kill(); // kill -9: it cannot revoke its lease, the lease must run out

        Assert.True(victim.HasExited);
        await Waiting.UntilAsync(() => Task.FromResult(workers.Find(victim.WorkerName) is null), LeasePatience,
            $"{victim.WorkerName}'s registration vanishes once its lease ends");
        // The others keep renewing: still there, as the same processes, a whole lease later.
        await Task.Delay(TestClusters.LeaseTtl);
        foreach (var other in others)
        {
            Assert.Equal(other.ProcessId, workers.Find(other.WorkerName)?.ProcessId);
            Assert.False(other.HasExited);
        }
    }

    [Fact]
    public async Task A_killed_worker_started_again_rejoins_under_its_name_on_the_same_port()
    {
        var victim = fixture.Cluster.Workers[2];
        var (port, killedProcess) = (victim.Port, victim.ProcessId);
        victim.Kill();

        // At once: the restart itself waits until the killed process's lease has let the name go.
        await victim.StartAsync();

        Assert.False(victim.HasExited);
        Assert.NotEqual(killedProcess, victim.ProcessId);
        Assert.Equal(port, victim.Port);
        var registered = await victim.FindRegistrationAsync();
        Assert.NotNull(registered);
        Assert.Equal(victim.ProcessId, registered.ProcessId);
        Assert.Equal($"http://127.0.0.1:{port}", registered.Address);
    }

    [Fact]
    public async Task A_worker_frozen_past_its_lease_loses_its_registration_and_joins_again_under_a_new_lease_once_it_runs_again()
    {
        var victim = fixture.Cluster.Workers[1];
        await using var workers = await WorkerDirectory.StartAsync(fixture.Etcd);
        var frozenLease = workers.Find(victim.WorkerName)?.LeaseId;
        Assert.NotNull(frozenLease);

        victim.Pause(); // SIGSTOP: alive, connected, but renewing nothing

        await Waiting.UntilAsync(() => Task.FromResult(workers.Find(victim.WorkerName) is null), LeasePatience,
            $"{victim.WorkerName}'s registration vanishes while it is frozen");
        Assert.False(victim.HasExited);

        victim.Resume(); // SIGCONT: it finds its lease gone, drops what it ran, and joins again

        await Waiting.UntilAsync(() => Task.FromResult(workers.Find(victim.WorkerName) is { } again && again.LeaseId != frozenLease),
            LeasePatience, $"{victim.WorkerName} registers again under a new lease");
        Assert.Equal(victim.ProcessId, workers.Find(victim.WorkerName)?.ProcessId);
        Assert.False(victim.HasExited);
    }
}
