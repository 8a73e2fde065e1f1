using Wagate.Contracts.Sandbox.V1;

namespace Wagate.Sandbox.Tests;

/// <summary>The suite with devices connected to the network object itself, as on a single node.</summary>
public sealed class InProcessSandboxNetworkTests : SandboxNetworkTests
{
    protected override Task<ISandboxNetworkClient> DevicesOfAsync(SandboxNetwork network) =>
        Task.FromResult<ISandboxNetworkClient>(network);

    protected override Task<IReadOnlyList<DeviceStats>> ListDevicesAsync(SandboxNetwork network, string tenant) =>
        Task.FromResult(network.ListDevices(tenant));
}
