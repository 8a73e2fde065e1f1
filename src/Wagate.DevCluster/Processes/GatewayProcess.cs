using System.Globalization;

namespace Wagate.DevCluster.Processes;

/// <summary>A gateway replica (src/Wagate.Gateway): REST and gRPC-Web on its HTTP port, gRPC on its
/// h2c port, PostgreSQL and etcd shared with the other replicas, the sandbox network's phones
/// behind its SandboxService. Ready when GET /readyz answers
/// 200 (after its database migrations ran and it serves).</summary>
public sealed class GatewayProcess : ProductProcess
{
    private static readonly HttpClient Http = new();
    private readonly LocalClusterOptions _cluster;
    private readonly SandboxProcess _sandbox;
    private readonly bool _portsGiven;

    /// <param name="httpPort">Null picks a free port (and another one if it is taken meanwhile).</param>
    /// <param name="sandbox">Whose phones the gateway's SandboxService drives.</param>
    public GatewayProcess(string name, LocalClusterOptions cluster, ProductBuild build, SandboxProcess sandbox, int? httpPort = null, int? grpcPort = null)
        : base(name, "Wagate.Gateway", build, Path.Combine(cluster.Directory, "gateways", name),
            Path.Combine(cluster.LogDirectory, name + ".log"), cluster.ReadyTimeout)
    {
        _cluster = cluster;
        _sandbox = sandbox;
        _portsGiven = httpPort is not null || grpcPort is not null;
        HttpPort = httpPort ?? LoopbackPorts.NextFree();
        GrpcPort = grpcPort ?? LoopbackPorts.NextFree();
    }

    public int HttpPort { get; private set; }

    public int GrpcPort { get; private set; }

    /// <summary>REST, gRPC-Web, OpenAPI, /readyz, /metrics (HTTP/1.1).</summary>
    public Uri RestAddress => new($"http://127.0.0.1:{HttpPort}");

    /// <summary>gRPC over HTTP/2 cleartext.</summary>
    public Uri GrpcAddress => new($"http://127.0.0.1:{GrpcPort}");

    protected override IReadOnlyDictionary<string, string> Settings() => new Dictionary<string, string>(ProcessSettings.CommonWithBlobs(_cluster))
    {
        ["WAGATE_HTTP_PORT"] = HttpPort.ToString(CultureInfo.InvariantCulture),
        ["WAGATE_GRPC_PORT"] = GrpcPort.ToString(CultureInfo.InvariantCulture),
        ["WAGATE_DATA_DIR"] = Directory,
        ["WAGATE_POSTGRES"] = _cluster.Postgres,
        ["WAGATE_SANDBOX_ADDRESS"] = _sandbox.Address.ToString(),
        ["WAGATE_TOKEN_SIGNING_KEY"] = _cluster.TokenSigningKey,
        ["WAGATE_WEBHOOK_KEY"] = _cluster.WebhookKey,
        ["WAGATE_ADMIN_EMAIL"] = _cluster.AdminEmail,
        ["WAGATE_ADMIN_PASSWORD"] = _cluster.AdminPassword,
    };

    protected override async Task<bool> IsReadyAsync(int processId, CancellationToken cancellationToken)
    {
        using var response = await Http.GetAsync(new Uri(RestAddress, "/readyz"), cancellationToken);
        return response.IsSuccessStatusCode;
    }

    protected override bool TryChooseOtherPorts()
    {
        if (_portsGiven)
        {
            return false;
        }
        HttpPort = LoopbackPorts.NextFree();
        GrpcPort = LoopbackPorts.NextFree();
        return true;
    }
}
