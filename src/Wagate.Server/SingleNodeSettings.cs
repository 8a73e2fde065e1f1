using Wagate.Sandbox;
using Wagate.Storage;
using Wagate.Worker.Messaging;

namespace Wagate.Server;

/// <summary>The single node's settings beyond the gateway's, from WAGATE_* configuration.</summary>
public sealed record SingleNodeSettings(
    string DataDirectory,
    int Workers,
    int WorkerCapacity,
    byte[]? StateKey,
    BlobStoreSettings Blobs,
    SandboxOptions Sandbox,
    SendPacing Pacing)
{
    public static SingleNodeSettings From(IConfiguration configuration)
    {
        string? Setting(string name) => configuration[name];
        int Number(string name, int fallback) =>
            Setting(name) is { Length: > 0 } text ? int.Parse(text, System.Globalization.CultureInfo.InvariantCulture) : fallback;
        var dataDirectory = Path.GetFullPath(Setting("WAGATE_DATA_DIR") is { Length: > 0 } directory ? directory : SingleNode.DefaultDataDirectory);
        return new SingleNodeSettings(
            dataDirectory,
            Number("WAGATE_WORKERS", 2),
            Number("WAGATE_WORKER_CAPACITY", 1000),
            BlobStoreSettings.ReadKey(Setting, "WAGATE_STATE_KEY"),
            BlobStoreSettings.From(Setting, Path.Combine(dataDirectory, "state")),
            SandboxOptions.From(Setting),
            SendPacing.From(Setting));
    }
}
