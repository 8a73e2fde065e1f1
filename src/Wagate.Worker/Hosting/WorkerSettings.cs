using System.Globalization;
using System.Net;
using Microsoft.Extensions.Configuration;
using Wagate.Sandbox.Hosting;
using Wagate.Storage;
using Wagate.Worker.Messaging;

namespace Wagate.Worker.Hosting;

/// <summary>A cluster worker's settings, from WAGATE_* configuration. <see cref="Postgres"/>
/// (WAGATE_POSTGRES, the gateways' database) is where it records messages and events; a worker
/// without it runs sessions but neither sends nor stores messages.</summary>
public sealed record WorkerSettings(
    string Name,
    IPAddress BindAddress,
    int Port,
    int Capacity,
    Uri SandboxAddress,
    byte[] StateKey,
    BlobStoreSettings Blobs,
    ClusterSettings? Cluster,
    string? Postgres,
    SendPacing Pacing)
{
    public static WorkerSettings From(IConfiguration configuration)
    {
        string? Setting(string name) => configuration[name] is { Length: > 0 } value ? value : null;
        var name = Setting("WAGATE_WORKER_NAME") ?? $"worker-{Environment.ProcessId}";
        var dataDirectory = Path.GetFullPath(Setting("WAGATE_DATA_DIR") ?? ".wagate-worker");
        return new WorkerSettings(
            $"workers/{name}",
            IPAddress.Parse(Setting("WAGATE_BIND_ADDRESS") ?? "127.0.0.1"),
            int.Parse(Setting("WAGATE_WORKER_PORT") ?? "8090", CultureInfo.InvariantCulture),
            int.Parse(Setting("WAGATE_WORKER_CAPACITY") ?? "1000", CultureInfo.InvariantCulture),
            Setting("WAGATE_SANDBOX_ADDRESS") is { } sandbox ? new Uri(sandbox) : SandboxHost.DefaultAddress,
            BlobStoreSettings.ReadKey(Setting, "WAGATE_STATE_KEY")
                ?? throw new InvalidOperationException("Set WAGATE_STATE_KEY (base64, 32 bytes): every worker must share it to read session state."),
            BlobStoreSettings.From(Setting, Path.Combine(dataDirectory, "state")),
            Setting("WAGATE_ETCD") is { } etcd
                ? new ClusterSettings(new Uri(etcd), Setting("WAGATE_ETCD_PREFIX") ?? "",
                    TimeSpan.FromSeconds(double.Parse(Setting("WAGATE_LEASE_TTL_SECONDS") ?? "5", CultureInfo.InvariantCulture)))
                : null,
            Setting("WAGATE_POSTGRES"),
            SendPacing.From(Setting));
    }
}

/// <summary>Cluster membership: the etcd to register in (WAGATE_ETCD), a key namespace shared by
/// the deployment (WAGATE_ETCD_PREFIX), and the lease TTL (WAGATE_LEASE_TTL_SECONDS, default 5):
/// how long after its death a worker's sessions wait to move.</summary>
public sealed record ClusterSettings(Uri Etcd, string KeyPrefix, TimeSpan LeaseTtl);
