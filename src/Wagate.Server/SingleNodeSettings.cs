using Wagate.Sandbox;
using Wagate.Settings;
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
        var settings = new SettingReader(name => configuration[name]);
        var dataDirectory = Path.GetFullPath(settings.Text("WAGATE_DATA_DIR") ?? SingleNode.DefaultDataDirectory);
        return new SingleNodeSettings(
            dataDirectory,
            settings.Number("WAGATE_WORKERS", 2, min: 1),
            settings.Number("WAGATE_WORKER_CAPACITY", 1000, min: 1),
            settings.Key("WAGATE_STATE_KEY"),
            BlobStoreSettings.From(settings, Path.Combine(dataDirectory, "state")),
            SandboxOptions.From(settings),
            SendPacing.From(settings));
    }
}
