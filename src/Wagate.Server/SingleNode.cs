using Wagate.Cluster;
using Wagate.Cluster.Membership;
using Wagate.Core.Workers;
using Wagate.Data;
using Wagate.Data.Messages;
using Wagate.Data.Sessions;
using Wagate.Engines.Sandbox;
using Wagate.Gateway.Hosting;
using Wagate.Sandbox;
using Wagate.Sandbox.Persistence;
using Wagate.Storage;
using Wagate.Worker.Clustering;
using Wagate.Worker.Messaging;
using Wagate.Worker.Runtime;
using Wagate.Worker.State;
using Wagate.Worker.Telemetry;

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
        // Start-up of the composition root: the one place that may wait (for the S3 bucket, and
        // for the run to be counted before any fencing token of it is handed out).
        var blobs = settings.Blobs.OpenAsync().GetAwaiter().GetResult();
        var coordinator = new InMemoryCoordinator(new InMemoryCoordinatorOptions { StartRevision = RunEpoch.BeginRunAsync(blobs).GetAwaiter().GetResult() });
        var media = new MediaStore(blobs, masterKey);
        return new GatewayBackends(
            DatabaseOptions.SqliteIn(settings.DataDirectory),
            GatewaySettings.From(configuration).TokenSigningKey ?? KeyFile.LoadOrCreate(settings.DataDirectory, "token-signing.key"),
            services => BuildSessionPlatform(settings, coordinator, blobs, new TenantStateCipher(masterKey), media, services),
            WebhookKey: KeyFile.LoadOrCreate(settings.DataDirectory, "webhook.key"),
            Media: media);
    }, serviceName: "wagate");

    /// <summary>The workers of this process as members of a cluster of one: each registers under a
    /// lease of the node's coordinator and runs what the placement controller gives it, and
    /// statuses are published fenced by ownership, exactly as cluster workers do.</summary>
    private static SessionPlatform BuildSessionPlatform(
        SingleNodeSettings settings, InMemoryCoordinator coordinator, IBlobStore blobs, TenantStateCipher cipher, MediaStore media, IServiceProvider services)
    {
        var loggers = services.GetRequiredService<ILoggerFactory>();
        var network = new SandboxNetwork(settings.Sandbox, TimeProvider.System);
        var networkFile = SandboxSnapshotFile.Attach(network, Path.Combine(settings.DataDirectory, "sandbox-network.json"),
            loggers.CreateLogger<SandboxSnapshotFile>());
        // Workers write messages, events and session state to the same database as the gateway,
        // fenced by token; state snapshots go to the blob store.
        var database = new WagateDbContextFactory(DatabaseOptions.SqliteIn(settings.DataDirectory));
        var ledger = new WorkerMessageLedger(database);
        var publisher = new CoordinatorStatusPublisher(coordinator, new LoggingStatusSink(loggers.CreateLogger<LoggingStatusSink>()),
            loggers.CreateLogger<CoordinatorStatusPublisher>());
        var events = new SessionEventRecorder(ledger, publisher, loggers.CreateLogger<SessionEventRecorder>());
        var messaging = new WorkerMessaging(ledger, media, settings.Pacing);
        // On the gateway's meter factory: this process's /metrics shows the workers' metrics too.
        var metrics = new WorkerMetrics(services.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>());
        var store = new DatabaseSessionStateStore(new SessionStateLog(database), blobs, cipher, loggers.CreateLogger<DatabaseSessionStateStore>(), metrics);
        var workers = Enumerable.Range(1, settings.Workers)
            .Select(i => new WorkerNode($"workers/local-{i}", settings.WorkerCapacity, [new SandboxEngine(network)], store, events, messaging,
                ReconnectBackoff.Default, TimeProvider.System, loggers, metrics))
            .ToList();
        IHostedService[] members =
        [
            publisher,
            .. workers.Select(worker => new ClusterMembershipService(coordinator, worker,
                new WorkerRecord(worker.Name, InProcessAddress, worker.Capacity, 0, Environment.ProcessId, Draining: false, DateTimeOffset.UnixEpoch),
                SessionPlatform.LeaseTtl, TimeProvider.System, loggers.CreateLogger<ClusterMembershipService>())),
        ];
        return new SessionPlatform(coordinator, workers, members, network, store, events, networkFile);
    }

    /// <summary>What ListWorkers shows as the address of a worker in this process.</summary>
    private const string InProcessAddress = "in-process";
}
