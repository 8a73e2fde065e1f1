using Wagate.Cluster;
using Wagate.Testing;

namespace Wagate.Worker.Tests;

/// <summary>The cluster's manifests on the etcd tools/test starts, under a key prefix of their own.</summary>
public sealed class EtcdCoordinatorSessionManifestStoreTests : CoordinatorSessionManifestStoreTests
{
    private readonly EtcdCoordinator _coordinator = new(new EtcdCoordinatorOptions { Endpoint = TestEtcd.Endpoint, KeyPrefix = TestEtcd.NewKeyPrefix() });

    protected override ICoordinator Coordinator => _coordinator;

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        _coordinator.Dispose();
    }
}
