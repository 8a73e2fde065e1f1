using Grpc.Net.Client;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;
using Wagate.Sandbox.Grpc;
using Wagate.Storage;
using Wagate.Worker.Engines.Sandbox;
using Wagate.Worker.Grpc;
using Wagate.Worker.Runtime;
using Wagate.Worker.State;

namespace Wagate.Worker.Hosting;

/// <summary>Composes a cluster worker: a <see cref="WorkerNode"/> with the sandbox engine
/// (reaching the sandbox network over gRPC) and session state in the configured blob store,
/// served over WorkerService on an h2c port, with the gRPC health service.</summary>
public static class WorkerHost
{
    public static async Task<WebApplication> BuildAsync(string[] args, CancellationToken cancellationToken = default)
    {
        var builder = WebApplication.CreateBuilder(args);
        var settings = WorkerSettings.From(builder.Configuration);
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Listen(settings.BindAddress, settings.Port, listen => listen.Protocols = HttpProtocols.Http2);
        });

        var blobs = await settings.Blobs.OpenAsync(cancellationToken);
        var cipher = new TenantStateCipher(settings.StateKey);
        builder.Services.AddSingleton(settings);
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton(_ => GrpcChannel.ForAddress(settings.SandboxAddress));
        builder.Services.AddSingleton<ISessionStatusSink, LoggingStatusSink>();
        builder.Services.AddSingleton<IWorkerClient>(sp => new WorkerNode(
            settings.Name,
            settings.Capacity,
            [new SandboxEngine(new GrpcSandboxNetworkClient(sp.GetRequiredService<GrpcChannel>()))],
            // Manifests in the blob store until workers claim their sessions in the coordinator:
            // coordinator manifests commit only for the holder of the session's owner key.
            new BlobSessionStateStore(blobs, cipher, new BlobSessionManifestStore(blobs, cipher)),
            sp.GetRequiredService<ISessionStatusSink>(),
            ReconnectBackoff.Default,
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILoggerFactory>()));
        builder.Services.AddGrpc();
        builder.Services.AddGrpcHealthChecks().AddCheck("process", () => HealthCheckResult.Healthy());

        var app = builder.Build();
        app.MapGrpcService<WorkerGrpcService>();
        app.MapGrpcHealthChecksService();
        return app;
    }
}
