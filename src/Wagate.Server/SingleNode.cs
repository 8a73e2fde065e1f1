using Wagate.Cluster;
using Wagate.Core.Workers;
using Wagate.Data;
using Wagate.Data.Messages;
using Wagate.Engines.Sandbox;
using Wagate.Gateway.Hosting;
using Wagate.Sandbox;
using Wagate.Sandbox.Persistence;
using Wagate.Storage;
using Wagate.Worker.Messaging;
using Wagate.Worker.Runtime;
using Wagate.Worker.State;

namespace Wagate.Server;

/// <summary>Everything on one machine with embedded defaults: the gateway, WAGATE_WORKERS
/// workers (default 2) and the sandbox network in this process; a SQLite file, the keys and the
/// session state under WAGATE_DATA_DIR (default ./.wagate), or the state in S3 when
/// WAGATE_BLOB_STORE=s3. Data survives restarts with no setup.</summary>
public static class SingleNode
{
    public const string DefaultDataDirectory = ".wagate";

    public static WebApplication Build(string[] args) => GatewayHost.Build(args, configuration =>
    {
        var settings = SingleNodeSettings.From(configuration);
        Directory.CreateDirectory(settings.DataDirectory);
        var masterKey = settings.StateKey ?? KeyFile.LoadOrCreate(settings.DataDirectory, "state.key");
        // Start-up of the composition root: the one place that may wait (for the S3 bucket).
        var blobs = settings.Blobs.OpenAsync().GetAwaiter().GetResult();
        var media = new MediaStore(blobs, masterKey);
        return new GatewayBackends(
            DatabaseOptions.SqliteIn(settings.DataDirectory),
            GatewaySettings.From(configuration).TokenSigningKey ?? KeyFile.LoadOrCreate(settings.DataDirectory, "token-signing.key"),
            services => BuildSessionPlatform(settings, blobs, new TenantStateCipher(masterKey), media, services),
            WebhookKey: KeyFile.LoadOrCreate(settings.DataDirectory, "webhook.key"),
            Media: media);
    }, serviceName: "wagate");

    private static SessionPlatform BuildSessionPlatform(
        SingleNodeSettings settings, IBlobStore blobs, TenantStateCipher cipher, MediaStore media, IServiceProvider services)
    {
        var network = new SandboxNetwork(settings.Sandbox, TimeProvider.System);
        var networkFile = SandboxSnapshotFile.Attach(network, Path.Combine(settings.DataDirectory, "sandbox-network.json"),
            services.GetRequiredService<ILogger<SandboxSnapshotFile>>());
        // One process owns every session here, so the manifest's own token check fences enough.
        var store = new BlobSessionStateStore(blobs, cipher, new BlobSessionManifestStore(blobs, cipher));
        var loggers = services.GetRequiredService<ILoggerFactory>();
        // Workers write messages and events to the same database as the gateway, fenced by token.
        var ledger = new WorkerMessageLedger(new WagateDbContextFactory(DatabaseOptions.SqliteIn(settings.DataDirectory)));
        var events = new SessionEventRecorder(ledger, services.GetRequiredService<ISessionStatusSink>(), loggers.CreateLogger<SessionEventRecorder>());
        var messaging = new WorkerMessaging(ledger, media, settings.Pacing);
        var workers = Enumerable.Range(1, settings.Workers)
            .Select(i => new WorkerNode($"workers/local-{i}", settings.WorkerCapacity, [new SandboxEngine(network)], store, events,
                ReconnectBackoff.Default, TimeProvider.System, loggers, messaging))
            .ToList();
        return new SessionPlatform(workers, network, events, networkFile);
    }
}
