using Wagate.Sandbox.Grpc;
using Wagate.Testing;
using Xunit;

namespace Wagate.Sandbox.Tests;

/// <summary>The phone suite over SandboxService on a loopback port, as a cluster gateway reaches
/// the sandbox network process; plus what only a wire can do: be unreachable.</summary>
public sealed class GrpcSandboxPhonesTests : SandboxPhonesConformanceTests
{
    private readonly List<LoopbackGrpcServer> _servers = [];

    protected override async Task<ISandboxPhones> PhonesOfAsync(SandboxNetwork network)
    {
        var server = await LoopbackGrpcServer.StartAsync(new SandboxPhonesGrpcService(new InProcessSandboxPhones(network)));
        _servers.Add(server);
        return new GrpcSandboxPhones(server.Channel);
    }

    [Fact]
    public async Task A_network_that_cannot_be_reached_is_unavailable_not_a_refusal()
    {
        var server = await LoopbackGrpcServer.StartAsync(
            new SandboxPhonesGrpcService(new InProcessSandboxPhones(new SandboxNetwork(new SandboxOptions(), TimeProvider.System))));
        var phones = new GrpcSandboxPhones(server.Channel);
        await server.StopAsync();

        var refused = await Assert.ThrowsAsync<SandboxException>(() => phones.CreatePhoneAsync("tenants/tn1", "+15550000001"));

        Assert.Equal(SandboxErrorKind.Unavailable, refused.Kind);
        await server.DisposeAsync();
    }

    public override async Task DisposeAsync()
    {
        foreach (var server in _servers)
        {
            await server.DisposeAsync();
        }
    }
}
