using System.Threading.Channels;
using Wagate.Contracts.Sandbox.V1;

namespace Wagate.Sandbox;

/// <summary>One device connection to the sandbox network, from the device's side: frames go
/// out with <see cref="SendAsync"/>, frames come in on <see cref="Responses"/>, which completes
/// after the network's Close frame. Disposing it drops the connection (a stop, not a logout).
/// In-process for a single node; over gRPC (SandboxNetworkService.Connect) for clusters.</summary>
public interface ISandboxConnection : IAsyncDisposable
{
    ChannelReader<ConnectResponse> Responses { get; }

    ValueTask SendAsync(ConnectRequest request, CancellationToken cancellationToken = default);
}

/// <summary>Opens connections to the sandbox network.</summary>
public interface ISandboxNetworkClient
{
    ISandboxConnection Connect();
}
