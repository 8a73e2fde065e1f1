using System.Net;
using System.Net.Sockets;

namespace Wagate.DevCluster.Processes;

/// <summary>Ports free on 127.0.0.1, as tests/Wagate.Testing/FreePort finds them: the OS picks
/// one for a listener that is closed at once. Another process may take it before ours binds
/// (a host that fails with "address already in use" is started again on new ports); this one
/// never hands out the same port twice, so clusters started side by side do not collide.</summary>
internal static class LoopbackPorts
{
    private static readonly Lock Gate = new();
    private static readonly HashSet<int> HandedOut = [];

    public static int NextFree()
    {
        while (true)
        {
            using var listener = new TcpListener(IPAddress.Loopback, 0);
            listener.Start();
            var port = ((IPEndPoint)listener.LocalEndpoint).Port;
            lock (Gate)
            {
                if (HandedOut.Add(port))
                {
                    return port;
                }
            }
        }
    }
}
