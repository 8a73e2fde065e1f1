using System.Globalization;
using Wagate.DevCluster.Processes;
using Wagate.Testing;

namespace Wagate.DevCluster.Tests.Telemetry;

/// <summary>The single node (src/Wagate.Server) as a process of its own, so that its /metrics is
/// its own: gateway, workers and sandbox network in one process, SQLite and session state in
/// <paramref name="directory"/>. Ready when /readyz answers 200.</summary>
internal sealed class SingleNodeProcess(string directory, IReadOnlyDictionary<string, string> settings)
    : ProductProcess("single-node", "Wagate.Server", TestClusters.Build, directory, Path.Combine(directory, "single-node.log"), TimeSpan.FromMinutes(2))
{
    private static readonly HttpClient Http = new();

    public int HttpPort { get; private set; } = FreePort.Next();

    public int GrpcPort { get; private set; } = FreePort.Next();

    public Uri RestAddress => new($"http://127.0.0.1:{HttpPort}");

    public Uri GrpcAddress => new($"http://127.0.0.1:{GrpcPort}");

    protected override IReadOnlyDictionary<string, string> Settings() => new Dictionary<string, string>(settings)
    {
        ["WAGATE_BIND_ADDRESS"] = "127.0.0.1",
        ["WAGATE_HTTP_PORT"] = HttpPort.ToString(CultureInfo.InvariantCulture),
        ["WAGATE_GRPC_PORT"] = GrpcPort.ToString(CultureInfo.InvariantCulture),
        ["WAGATE_DATA_DIR"] = Path.Combine(Directory, "data"),
    };

    protected override async Task<bool> IsReadyAsync(int processId, CancellationToken cancellationToken)
    {
        using var response = await Http.GetAsync(new Uri(RestAddress, "/readyz"), cancellationToken);
        return response.IsSuccessStatusCode;
    }

    protected override bool TryChooseOtherPorts()
    {
        HttpPort = FreePort.Next();
        GrpcPort = FreePort.Next();
        return true;
    }
}
