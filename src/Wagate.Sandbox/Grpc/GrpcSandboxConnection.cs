using System.Threading.Channels;
using Grpc.Core;
using Wagate.Contracts.Sandbox.V1;

namespace Wagate.Sandbox.Grpc;

/// <summary>One device connection over a Connect call. It behaves as the in-process one does:
/// frames sent after the connection ended are dropped, and <see cref="Responses"/> completes
/// after the Close frame, or when the call breaks, so the device sees a lost connection.</summary>
internal sealed class GrpcSandboxConnection : ISandboxConnection
{
    // How long a stop waits for the network to confirm it dropped the connection; a network
    // that does not answer is cut off without it.
    private static readonly TimeSpan StopPatience = TimeSpan.FromSeconds(5);

    private readonly AsyncDuplexStreamingCall<ConnectRequest, ConnectResponse> _call;
    private readonly Channel<ConnectResponse> _responses = Channel.CreateUnbounded<ConnectResponse>(new UnboundedChannelOptions { SingleWriter = true });
    // A gRPC request stream takes one write at a time; the engine writes from two places
    // (commands, and acknowledgements from its reading loop).
    private readonly SemaphoreSlim _writing = new(1, 1);
    private readonly Task _pump;
    private int _disposed;

    public GrpcSandboxConnection(AsyncDuplexStreamingCall<ConnectRequest, ConnectResponse> call)
    {
        _call = call;
        _pump = Task.Run(PumpAsync);
    }

    public ChannelReader<ConnectResponse> Responses => _responses.Reader;

    public async ValueTask SendAsync(ConnectRequest request, CancellationToken cancellationToken = default)
    {
        await _writing.WaitAsync(cancellationToken);
        try
        {
            await _call.RequestStream.WriteAsync(request, cancellationToken);
        }
        catch (Exception exception) when (exception is RpcException or InvalidOperationException or IOException && !cancellationToken.IsCancellationRequested)
        {
            // The call is over (closed, stopped or broken): like a frame on a closed socket, it
            // goes nowhere, and Responses has told or will tell the device.
        }
        finally
        {
            _writing.Release();
        }
    }

    /// <summary>Ends the device's stream, which the network takes as a stop, waits for the
    /// network to end the call, then releases it.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }
        await _writing.WaitAsync();
        try
        {
            await _call.RequestStream.CompleteAsync();
        }
        catch (Exception exception) when (exception is RpcException or InvalidOperationException or IOException)
        {
            // The call already ended: nothing left to stop.
        }
        finally
        {
            _writing.Release();
        }
        try
        {
            await _pump.WaitAsync(StopPatience);
        }
        catch (TimeoutException)
        {
            // Released regardless: disposing the call below ends the pump.
        }
        _call.Dispose();
        await _pump;
    }

    private async Task PumpAsync()
    {
        try
        {
            await foreach (var response in _call.ResponseStream.ReadAllAsync())
            {
                _responses.Writer.TryWrite(response);
                if (response.FrameCase == ConnectResponse.FrameOneofCase.Close)
                {
                    break;
                }
            }
        }
        catch (Exception)
        {
            // Whatever ended the call (a broken transport, a dead server, a release), the device
            // must hear of it: completing with no Close frame is how a lost connection reads.
        }
        finally
        {
            _responses.Writer.TryComplete();
        }
    }
}
