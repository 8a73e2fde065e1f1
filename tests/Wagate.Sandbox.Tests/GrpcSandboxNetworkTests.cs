using System.Threading.Channels;
using Wagate.Contracts.Sandbox.V1;
using Wagate.Sandbox.Grpc;
using Wagate.Testing;
using Xunit;

namespace Wagate.Sandbox.Tests;

/// <summary>The suite with devices connected over SandboxNetworkService on a loopback port, as
/// workers of a cluster reach the network.</summary>
public sealed class GrpcSandboxNetworkTests : SandboxNetworkTests
{
    private readonly List<LoopbackGrpcServer> _servers = [];
    private readonly Dictionary<SandboxNetwork, GrpcSandboxNetworkClient> _clients = [];

    protected override async Task<ISandboxNetworkClient> DevicesOfAsync(SandboxNetwork network)
    {
        var server = await LoopbackGrpcServer.StartAsync(new SandboxNetworkGrpcService(network));
        _servers.Add(server);
        return _clients[network] = new GrpcSandboxNetworkClient(server.Channel);
    }

    protected override Task<IReadOnlyList<DeviceStats>> ListDevicesAsync(SandboxNetwork network, string tenant) =>
        _clients[network].ListDevicesAsync(tenant);

    [Fact]
    public async Task A_call_broken_by_the_network_going_away_ends_the_responses_with_no_Close()
    {
        var network = new SandboxNetwork(new SandboxOptions(), TimeProvider.System);
        await using var server = await LoopbackGrpcServer.StartAsync(new SandboxNetworkGrpcService(network));
        await using var device = await TestDevice.ConnectAsync(new GrpcSandboxNetworkClient(server.Channel), "tenants/tn1", "tenants/tn1/sessions/s1");
        await device.NextAsync(ConnectResponse.FrameOneofCase.Qr);

        await server.StopAsync();

        // No Close frame: the reader just completes, which the sandbox engine reports as a lost connection.
        await Assert.ThrowsAsync<ChannelClosedException>(() => device.NextAsync());
    }

    public override async Task DisposeAsync()
    {
        foreach (var server in _servers)
        {
            await server.DisposeAsync();
        }
    }
}
