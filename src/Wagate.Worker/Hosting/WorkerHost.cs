using Grpc.Net.Client;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;
using Wagate.Cluster;
using Wagate.Cluster.Membership;
using Wagate.Core.Workers;
using Wagate.Data;
using Wagate.Data.Messages;
using Wagate.Data.Sessions;
using Wagate.Engines.Sandbox;
using Wagate.Sandbox.Grpc;
using Wagate.ServiceDefaults;
using Wagate.Storage;
using Wagate.Worker.Clustering;
using Wagate.Worker.Grpc;
using Wagate.Worker.Messaging;
using Wagate.Worker.Runtime;
using Wagate.Worker.State;
using Wagate.Worker.Telemetry;

namespace Wagate.Worker.Hosting;

/// <summary>Composes a cluster worker: a <see cref="WorkerNode"/> with the sandbox engine
/// (reaching the sandbox network over gRPC) and session state as deltas in PostgreSQL compacted
/// into snapshots in the configured blob store,
/// served over WorkerService on an h2c port, with the gRPC health service.</summary>
public static class WorkerHost
{
    /// <summary>A worker paused mid-transaction (SIGSTOP, a long GC, a frozen VM) would hold its
    /// session rows locked, and the worker taking its sessions over would wait on it for as long
    /// as it stays paused. PostgreSQL ends such a transaction after a few idle seconds, releasing
    /// the locks (the paused worker's writes then fail, as fencing wants them to), and a lock
    /// waited on longer than that fails fast, to be retried.</summary>
    private static string LedgerConnectionString(string postgres) => new Npgsql.NpgsqlConnectionStringBuilder(postgres)
    {
        Options = "-c idle_in_transaction_session_timeout=5000 -c lock_timeout=10000",
    }.ConnectionString;

    public static async Task<WebApplication> BuildAsync(string[] args, CancellationToken cancellationToken = default)
    {
        var builder = WebApplication.CreateBuilder(args);
        var settings = WorkerSettings.From(builder.Configuration);
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Listen(settings.BindAddress, settings.Port, listen => listen.Protocols = HttpProtocols.Http2);
            if (settings.HttpPort is { } httpPort)
            {
                // Cleartext Kestrel serves HTTP/1.1 and HTTP/2 on separate ports; scrapers and probes speak HTTP/1.1.
                kestrel.Listen(settings.BindAddress, httpPort, listen => listen.Protocols = HttpProtocols.Http1);
            }
        });
        builder.AddServiceDefaults("wagate-worker", tracing => tracing.AddNpgsql());
        var blobs = await settings.Blobs.OpenAsync(cancellationToken);
        var cipher = new TenantStateCipher(settings.StateKey);
        builder.Services.AddSingleton(settings);
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton(_ => GrpcChannel.ForAddress(settings.SandboxAddress));
        builder.Services.AddSingleton<LoggingStatusSink>();
        builder.Services.AddSingleton<ISessionStatusSink>(sp => sp.GetRequiredService<LoggingStatusSink>());
        var database = new WagateDbContextFactory(DatabaseOptions.Postgres(LedgerConnectionString(settings.Postgres)));
        var messaging = new WorkerMessaging(new WorkerMessageLedger(database), new MediaStore(blobs, settings.StateKey), settings.Pacing);
        // Session changes become events of the tenant's log too, fenced like everything else.
        builder.Services.AddSingleton(sp => new SessionEventRecorder(messaging.Ledger, sp.GetRequiredService<ISessionStatusSink>(),
            sp.GetRequiredService<ILogger<SessionEventRecorder>>()));
        builder.Services.AddSingleton<WorkerMetrics>();
        builder.Services.AddSingleton(sp => new DatabaseSessionStateStore(new SessionStateLog(database), blobs, cipher,
            sp.GetRequiredService<ILogger<DatabaseSessionStateStore>>(), sp.GetRequiredService<WorkerMetrics>()));
        builder.Services.AddSingleton(sp => new WorkerNode(
            settings.Name,
            settings.Capacity,
            [new SandboxEngine(new GrpcSandboxNetworkClient(sp.GetRequiredService<GrpcChannel>()))],
            sp.GetRequiredService<DatabaseSessionStateStore>(),
            sp.GetRequiredService<SessionEventRecorder>(),
            messaging,
            ReconnectBackoff.Default,
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILoggerFactory>(),
            sp.GetRequiredService<WorkerMetrics>()));
        builder.Services.AddSingleton<IWorkerClient>(sp => sp.GetRequiredService<WorkerNode>());
        if (settings.Cluster is { } cluster)
        {
            builder.Services.AddSingleton<ICoordinator>(_ => new EtcdCoordinator(new EtcdCoordinatorOptions
            {
                Endpoint = cluster.Etcd,
                KeyPrefix = cluster.KeyPrefix,
            }));
            // Statuses go to etcd, fenced by ownership, for every gateway to read.
            builder.Services.AddSingleton(sp => new CoordinatorStatusPublisher(sp.GetRequiredService<ICoordinator>(),
                sp.GetRequiredService<LoggingStatusSink>(), sp.GetRequiredService<ILogger<CoordinatorStatusPublisher>>()));
            builder.Services.AddSingleton<ISessionStatusSink>(sp => sp.GetRequiredService<CoordinatorStatusPublisher>());
            builder.Services.AddHostedService(sp => sp.GetRequiredService<CoordinatorStatusPublisher>());
            builder.Services.AddHostedService(sp => new ClusterMembershipService(
                sp.GetRequiredService<ICoordinator>(),
                sp.GetRequiredService<WorkerNode>(),
                new WorkerRecord(settings.Name, $"http://{settings.BindAddress}:{settings.Port}", settings.Capacity, 0,
                    Environment.ProcessId, Draining: false, DateTimeOffset.UnixEpoch),
                cluster.LeaseTtl,
                sp.GetRequiredService<TimeProvider>(),
                sp.GetRequiredService<ILogger<ClusterMembershipService>>(),
                warmUp: true));
        }
        builder.Services.AddGrpc();
        builder.Services.AddGrpcHealthChecks().AddCheck("process", () => HealthCheckResult.Healthy());

        var app = builder.Build();
        app.MapGrpcService<WorkerGrpcService>();
        app.MapGrpcHealthChecksService();
        app.MapServiceDefaults();
        return app;
    }
}
