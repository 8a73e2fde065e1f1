using System.Globalization;

namespace Wagate.DevCluster.Processes;

/// <summary>A single-member etcd (the <c>etcd</c> on PATH) on free 127.0.0.1 ports with its data in
/// its directory, for tests that take the cluster's coordinator down: killed, paused or stopped,
/// then started again on the same ports and data, its clients reconnect to what they knew.
/// Ready when GET /health says it is healthy (it has a leader).</summary>
public sealed class EtcdProcess : ManagedProcess
{
    private static readonly HttpClient Http = new();

    public EtcdProcess(string name, string directory, string logPath, TimeSpan readyTimeout)
        : base(name, directory, logPath, readyTimeout)
    {
        ChooseOtherPorts();
    }

    public int ClientPort { get; private set; }

    public int PeerPort { get; private set; }

    /// <summary>What clients connect to, e.g. http://127.0.0.1:2379 (WAGATE_ETCD).</summary>
    public Uri ClientUrl => new($"http://127.0.0.1:{ClientPort}");

    /// <summary>Starts an etcd with its data and log in <paramref name="directory"/>.</summary>
    public static async Task<EtcdProcess> StartAsync(string directory, TimeSpan? readyTimeout = null, CancellationToken cancellationToken = default)
    {
        var etcd = new EtcdProcess("etcd", directory, Path.Combine(directory, "etcd.log"), readyTimeout ?? TimeSpan.FromSeconds(30));
        try
        {
            await etcd.StartAsync(cancellationToken);
            return etcd;
        }
        catch
        {
            await etcd.DisposeAsync();
            throw;
        }
    }

    protected override IReadOnlyList<string> CommandLine()
    {
        var client = ClientUrl.GetLeftPart(UriPartial.Authority);
        var peer = string.Create(CultureInfo.InvariantCulture, $"http://127.0.0.1:{PeerPort}");
        return
        [
            "etcd", "--name", "default", "--data-dir", Path.Combine(Directory, "data"),
            "--listen-client-urls", client, "--advertise-client-urls", client,
            "--listen-peer-urls", peer, "--initial-advertise-peer-urls", peer, "--initial-cluster", "default=" + peer,
        ];
    }

    protected override async Task<bool> IsReadyAsync(int processId, CancellationToken cancellationToken)
    {
        using var response = await Http.GetAsync(new Uri(ClientUrl, "/health"), cancellationToken);
        return response.IsSuccessStatusCode
            && (await response.Content.ReadAsStringAsync(cancellationToken)).Contains("\"true\"", StringComparison.Ordinal);
    }

    protected override bool TryChooseOtherPorts()
    {
        ChooseOtherPorts();
        return true;
    }

    private void ChooseOtherPorts()
    {
        ClientPort = LoopbackPorts.NextFree();
        PeerPort = LoopbackPorts.NextFree();
    }
}
