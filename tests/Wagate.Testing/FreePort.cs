using System.Net;
using System.Net.Sockets;

namespace Wagate.Testing;

public static class FreePort
{
    /// <summary>A port free on 127.0.0.1 at the time of the call.</summary>
    public static int Next()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
