using Grpc.Core;
using Wagate.Contracts.Sandbox.V1;

namespace Wagate.Sandbox.Grpc;

/// <summary>SandboxNetworkService: the sandbox network served to sandbox engines on workers in
/// other processes, which reach it through <see cref="GrpcSandboxNetworkClient"/>. Each Connect
/// call is one device connection, bridged frame for frame to <paramref name="network"/>;
/// ListDevices reports its device statistics to tests.</summary>
public sealed class SandboxNetworkGrpcService(SandboxNetwork network) : SandboxNetworkService.SandboxNetworkServiceBase
{
    public override Task<ListDevicesResponse> ListDevices(ListDevicesRequest request, ServerCallContext context) =>
        Task.FromResult(new ListDevicesResponse { Devices = { network.ListDevices(request.Tenant) } });

    public override async Task Connect(IAsyncStreamReader<ConnectRequest> requestStream, IServerStreamWriter<ConnectResponse> responseStream,
        ServerCallContext context)
    {
        await using var connection = network.Connect();
        using var networkClosed = CancellationTokenSource.CreateLinkedTokenSource(context.CancellationToken);
        var requests = ForwardRequestsAsync(requestStream, connection, networkClosed.Token);
        var responses = ForwardResponsesAsync(connection, responseStream, context.CancellationToken);
        if (await Task.WhenAny(requests, responses) == requests)
        {
            // The device ended its stream or went away: a stop. The network then completes
            // the connection's responses, which ends the forwarding below.
            await connection.DisposeAsync();
        }
        else
        {
            // The network closed the connection; the device's stream is no longer listened to.
            await networkClosed.CancelAsync();
        }
        await Task.WhenAll(requests, responses);
    }

    private static async Task ForwardRequestsAsync(IAsyncStreamReader<ConnectRequest> requestStream, ISandboxConnection connection,
        CancellationToken cancellationToken)
    {
        try
        {
            await foreach (var request in requestStream.ReadAllAsync(cancellationToken))
            {
                await connection.SendAsync(request, cancellationToken);
            }
        }
        catch (Exception exception) when (exception is OperationCanceledException or IOException)
        {
            // The device reset its stream, or the network closed first: either way this side is done.
        }
    }

    private static async Task ForwardResponsesAsync(ISandboxConnection connection, IServerStreamWriter<ConnectResponse> responseStream,
        CancellationToken cancellationToken)
    {
        try
        {
            await foreach (var response in connection.Responses.ReadAllAsync(cancellationToken))
            {
                await responseStream.WriteAsync(response, cancellationToken);
            }
        }
        catch (Exception) when (cancellationToken.IsCancellationRequested)
        {
            // The device went away: nobody is left to hear what the network still had to say.
        }
    }
}
