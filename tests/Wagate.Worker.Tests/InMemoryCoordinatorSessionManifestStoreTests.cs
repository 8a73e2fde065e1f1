using Wagate.Cluster;

namespace Wagate.Worker.Tests;

/// <summary>The cluster's manifests on the single node's coordinator.</summary>
public sealed class InMemoryCoordinatorSessionManifestStoreTests : CoordinatorSessionManifestStoreTests
{
    private readonly InMemoryCoordinator _coordinator = new();

    protected override ICoordinator Coordinator => _coordinator;
}
