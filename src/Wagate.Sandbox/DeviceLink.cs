using System.Threading.Channels;
using Wagate.Contracts.Sandbox.V1;

namespace Wagate.Sandbox;

/// <summary>The in-process end of a device connection.</summary>
internal sealed class DeviceLink(SandboxNetwork network) : ISandboxConnection
{
    private readonly Channel<ConnectResponse> _responses =
        Channel.CreateUnbounded<ConnectResponse>(new UnboundedChannelOptions { SingleReader = true });

    public ChannelReader<ConnectResponse> Responses => _responses.Reader;

    public ValueTask SendAsync(ConnectRequest request, CancellationToken cancellationToken = default)
    {
        network.Receive(this, request);
        return ValueTask.CompletedTask;
    }

    /// <summary>Queues a frame for the device; false once the connection is closed.</summary>
    internal bool Deliver(ConnectResponse response) => _responses.Writer.TryWrite(response);

    internal void Close(int code, string reason)
    {
        Deliver(new ConnectResponse { Close = new Close { Code = code, Reason = reason } });
        _responses.Writer.TryComplete();
    }

    public ValueTask DisposeAsync()
    {
        network.Drop(this);
        _responses.Writer.TryComplete();
        return ValueTask.CompletedTask;
    }
}
