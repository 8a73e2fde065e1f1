using System.Diagnostics;
using Wagate.Testing;
using Xunit;

namespace Wagate.DevCluster.Tests;

/// <summary>Run after every other test of this assembly (so no other cluster's processes are
/// around), since it looks at every child of the test process.</summary>
[CollectionDefinition(nameof(RunsAlone), DisableParallelization = true)]
public sealed class RunsAlone;

/// <summary>Disposing a cluster stops everything it started, and nothing else.</summary>
[Collection(nameof(RunsAlone))]
public sealed class ClusterDisposalTests
{
    [Fact]
    public async Task Disposing_the_cluster_leaves_none_of_its_processes_running_and_stops_nothing_else()
    {
        using var directory = new TempDirectory();
        using var bystander = Process.Start(new ProcessStartInfo("sleep", "120") { UseShellExecute = false })!;
        var cluster = await TestClusters.StartAsync(directory.Path, workers: 1);
        var started = cluster.Processes.Select(p => p.ProcessId!.Value).Order().ToList();
        try
        {
            Assert.Equal(4, started.Count); // two gateways, a worker, the sandbox network
            Assert.Equal(started.Append(bystander.Id).Order(), ChildProcesses.Running().Order());

            await cluster.DisposeAsync();

            Assert.Equal([bystander.Id], ChildProcesses.Running());
            Assert.All(started, id => Assert.False(ChildProcesses.IsRunning(id), $"process {id} is still running"));
            Assert.All(cluster.Processes, p => Assert.True(p.HasExited));
        }
        finally
        {
            await cluster.DisposeAsync();
            bystander.Kill();
        }
    }
}
