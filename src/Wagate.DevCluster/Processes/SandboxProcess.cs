using System.Globalization;

namespace Wagate.DevCluster.Processes;

/// <summary>The sandbox network (src/Wagate.Sandbox), the simulated WhatsApp the workers' sessions
/// connect to, keeping its phones and devices in its directory. Ready when its gRPC health
/// service answers SERVING.</summary>
public sealed class SandboxProcess : ProductProcess
{
    private readonly LocalClusterOptions _cluster;

    public SandboxProcess(LocalClusterOptions cluster, ProductBuild build)
        : base("sandbox", "Wagate.Sandbox", build, Path.Combine(cluster.Directory, "sandbox"),
            Path.Combine(cluster.LogDirectory, "sandbox.log"), cluster.ReadyTimeout)
    {
        _cluster = cluster;
        Port = LoopbackPorts.NextFree();
        HttpPort = LoopbackPorts.NextFree();
    }

    public int Port { get; private set; }

    /// <summary>Where it serves /healthz, /readyz and /metrics (HTTP/1.1).</summary>
    public int HttpPort { get; private set; }

    public Uri MetricsAddress => new($"http://127.0.0.1:{HttpPort}/metrics");

    /// <summary>SandboxNetworkService over gRPC (h2c), what workers are given as WAGATE_SANDBOX_ADDRESS.</summary>
    public Uri Address => new($"http://127.0.0.1:{Port}");

    protected override IReadOnlyDictionary<string, string> Settings() => new Dictionary<string, string>(ProcessSettings.Common(_cluster))
    {
        ["WAGATE_SANDBOX_PORT"] = Port.ToString(CultureInfo.InvariantCulture),
        ["WAGATE_SANDBOX_HTTP_PORT"] = HttpPort.ToString(CultureInfo.InvariantCulture),
        ["WAGATE_DATA_DIR"] = Directory,
    };

    protected override Task<bool> IsReadyAsync(int processId, CancellationToken cancellationToken) =>
        GrpcHealth.IsServingAsync(Address, cancellationToken);

    protected override bool TryChooseOtherPorts()
    {
        Port = LoopbackPorts.NextFree();
        HttpPort = LoopbackPorts.NextFree();
        return true;
    }
}
