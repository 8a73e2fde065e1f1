using System.Net;
using System.Net.Sockets;

namespace Wagate.Testing;

/// <summary>Forwards a free 127.0.0.1 port to a server, so that a test can cut a client off from the
/// server, as a network outage would, without stopping the server for anyone else.</summary>
public sealed class TcpProxy : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly IPEndPoint _server;
    private readonly CancellationTokenSource _stopping = new();
    private readonly Lock _gate = new();
    private readonly HashSet<Socket> _open = [];
    private readonly Task _accepting;
    private bool _outage;

    /// <summary>Forwards to the loopback server at <paramref name="server"/> (e.g. http://127.0.0.1:2379).</summary>
    public TcpProxy(Uri server)
    {
        _server = new IPEndPoint(IPAddress.Parse(server.Host), server.Port);
        _listener.Start();
        Endpoint = new UriBuilder(server) { Port = ((IPEndPoint)_listener.LocalEndpoint).Port }.Uri;
        _accepting = AcceptAsync();
    }

    /// <summary>The server's URL with the proxy's port: clients that connect here go through the proxy.</summary>
    public Uri Endpoint { get; }

    /// <summary>Resets every open connection and refuses new ones until the result is disposed.</summary>
    public IDisposable Interrupt()
    {
        lock (_gate)
        {
            _outage = true;
            foreach (var socket in _open)
            {
                Reset(socket);
            }
            _open.Clear();
        }
        return new Outage(this);
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        _listener.Stop();
        Interrupt();
        await _accepting;
        _stopping.Dispose();
    }

    private async Task AcceptAsync()
    {
        while (!_stopping.IsCancellationRequested)
        {
            try
            {
                _ = LinkAsync(await _listener.AcceptSocketAsync(_stopping.Token));
            }
            catch (Exception) when (_stopping.IsCancellationRequested)
            {
                return;
            }
        }
    }

    private async Task LinkAsync(Socket client)
    {
        using var server = new Socket(SocketType.Stream, ProtocolType.Tcp);
        try
        {
            await server.ConnectAsync(_server);
        }
        catch (SocketException)
        {
            Reset(client);
            return;
        }
        lock (_gate)
        {
            if (_outage)
            {
                Reset(client);
                return;
            }
            _open.Add(client);
            _open.Add(server);
        }
        await Task.WhenAny(PumpAsync(client, server), PumpAsync(server, client));
        lock (_gate)
        {
            _open.Remove(client);
            _open.Remove(server);
        }
        Reset(client);
    }

    private static async Task PumpAsync(Socket from, Socket to)
    {
        var buffer = new byte[16 * 1024];
        try
        {
            int read;
            while ((read = await from.ReceiveAsync(buffer)) > 0)
            {
                await to.SendAsync(buffer.AsMemory(0, read));
            }
        }
        catch (Exception cut) when (cut is SocketException or ObjectDisposedException)
        {
            // The other side, or an outage, closed the link.
        }
    }

    // RST rather than FIN: the peer learns at once that the connection is gone, as after a crash.
    private static void Reset(Socket socket)
    {
        try
        {
            socket.LingerState = new LingerOption(true, 0);
        }
        catch (Exception closed) when (closed is SocketException or ObjectDisposedException)
        {
            // Already closed; Dispose below is all that is left to do.
        }
        socket.Dispose();
    }

    private sealed class Outage(TcpProxy proxy) : IDisposable
    {
        public void Dispose()
        {
            lock (proxy._gate)
            {
                proxy._outage = false;
            }
        }
    }
}
