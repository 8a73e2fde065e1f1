using System.Net;
using Microsoft.Extensions.Configuration;
using Wagate.Sandbox.Hosting;
using Wagate.Settings;
using Wagate.Storage;
using Wagate.Worker.Messaging;

namespace Wagate.Worker.Hosting;

/// <summary>A cluster worker's settings, from WAGATE_* configuration, checked as they are read: a
/// bad or missing one stops the worker at start, named (<see cref="InvalidSettingException"/>).
/// <see cref="Postgres"/> (WAGATE_POSTGRES, the gateways' database) is where it records messages
/// and events. <see cref="HttpPort"/> (WAGATE_WORKER_HTTP_PORT, off when unset) serves /healthz,
/// /readyz and /metrics over HTTP/1.1 beside WorkerService's h2c port.</summary>
public sealed record WorkerSettings(
    string Name,
    IPAddress BindAddress,
    int Port,
    int? HttpPort,
    int Capacity,
    Uri SandboxAddress,
    byte[] StateKey,
    BlobStoreSettings Blobs,
    ClusterSettings? Cluster,
    string Postgres,
    SendPacing Pacing)
{
    public static WorkerSettings From(IConfiguration configuration)
    {
        var settings = new SettingReader(name => configuration[name]);
        var name = settings.Text("WAGATE_WORKER_NAME") ?? $"worker-{Environment.ProcessId}";
        var dataDirectory = Path.GetFullPath(settings.Text("WAGATE_DATA_DIR") ?? ".wagate-worker");
        return new WorkerSettings(
            $"workers/{name}",
            settings.Address("WAGATE_BIND_ADDRESS", IPAddress.Loopback),
            settings.Port("WAGATE_WORKER_PORT", 8090),
            settings.Text("WAGATE_WORKER_HTTP_PORT") is null ? null : settings.Port("WAGATE_WORKER_HTTP_PORT", 0),
            settings.Number("WAGATE_WORKER_CAPACITY", 1000, min: 1),
            settings.Uri("WAGATE_SANDBOX_ADDRESS") ?? SandboxHost.DefaultAddress,
            settings.Key("WAGATE_STATE_KEY") ?? throw new InvalidSettingException("WAGATE_STATE_KEY",
                "is required: the key (base64, 32 bytes) every worker shares to read session state"),
            BlobStoreSettings.From(settings, Path.Combine(dataDirectory, "state")),
            settings.Uri("WAGATE_ETCD") is { } etcd
                ? new ClusterSettings(etcd, settings.Text("WAGATE_ETCD_PREFIX") ?? "", settings.Seconds("WAGATE_LEASE_TTL_SECONDS", TimeSpan.FromSeconds(5)))
                : null,
            // Messaging is a part of every worker: without its database it could neither send nor
            // store a message, and would acknowledge what it cannot keep.
            settings.Required("WAGATE_POSTGRES", "the gateways' PostgreSQL connection string, where workers record messages and events"),
            SendPacing.From(settings));
    }
}

/// <summary>Cluster membership: the etcd to register in (WAGATE_ETCD), a key namespace shared by
/// the deployment (WAGATE_ETCD_PREFIX), and the lease TTL (WAGATE_LEASE_TTL_SECONDS, default 5):
/// how long after its death a worker's sessions wait to move.</summary>
public sealed record ClusterSettings(Uri Etcd, string KeyPrefix, TimeSpan LeaseTtl);
