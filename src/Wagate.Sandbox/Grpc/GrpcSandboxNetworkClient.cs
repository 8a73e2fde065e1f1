using Grpc.Net.Client;
using Wagate.Contracts.Sandbox.V1;

namespace Wagate.Sandbox.Grpc;

/// <summary>The sandbox network of another process, reached through its SandboxNetworkService:
/// each connection is one Connect call.</summary>
public sealed class GrpcSandboxNetworkClient(GrpcChannel channel) : ISandboxNetworkClient
{
    private readonly SandboxNetworkService.SandboxNetworkServiceClient _client = new(channel);

    public ISandboxConnection Connect() => new GrpcSandboxConnection(_client.Connect());
}
