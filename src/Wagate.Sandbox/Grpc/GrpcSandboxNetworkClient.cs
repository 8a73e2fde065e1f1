using Grpc.Net.Client;
using Wagate.Contracts.Sandbox.V1;

namespace Wagate.Sandbox.Grpc;

/// <summary>The sandbox network of another process, reached through its SandboxNetworkService:
/// each connection is one Connect call.</summary>
public sealed class GrpcSandboxNetworkClient(GrpcChannel channel) : ISandboxNetworkClient
{
    private readonly SandboxNetworkService.SandboxNetworkServiceClient _client = new(channel);

    public ISandboxConnection Connect() => new GrpcSandboxConnection(_client.Connect());

    /// <summary>The linked devices of <paramref name="tenant"/> (every tenant's when empty) with
    /// their connection counts, as <see cref="SandboxNetwork.ListDevices"/> reports them: for
    /// tests that prove how sessions failed over.</summary>
    public async Task<IReadOnlyList<DeviceStats>> ListDevicesAsync(string tenant = "", CancellationToken cancellationToken = default) =>
        (await _client.ListDevicesAsync(new ListDevicesRequest { Tenant = tenant }, cancellationToken: cancellationToken)).Devices;
}
