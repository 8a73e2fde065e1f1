using Wagate.Cluster;
using Wagate.Testing;
using Xunit;

namespace Wagate.DevCluster.Tests;

/// <summary>A running cluster (two gateways, three workers, the sandbox network) shared by the
/// tests of one class, and a view of its etcd namespace. Tests that take a worker down each use
/// a worker of their own.</summary>
public sealed class ClusterFixture : IAsyncLifetime
{
    private readonly TempDirectory _directory = new();

    public LocalCluster Cluster { get; private set; } = null!;

    /// <summary>The cluster's etcd, under its key prefix.</summary>
    public EtcdCoordinator Etcd { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Cluster = await TestClusters.StartAsync(_directory.Path, workers: 3);
        Etcd = new EtcdCoordinator(new EtcdCoordinatorOptions { Endpoint = Cluster.Options.Etcd, KeyPrefix = Cluster.Options.EtcdPrefix });
    }

    public async Task DisposeAsync()
    {
        Etcd?.Dispose();
        if (Cluster is not null)
        {
            await Cluster.DisposeAsync();
        }
        _directory.Dispose();
    }
}
