using System.Globalization;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Wagate.Sandbox.Grpc;
using Wagate.Sandbox.Persistence;

namespace Wagate.Sandbox.Hosting;

/// <summary>Serves the sandbox network to workers over SandboxNetworkService on an h2c port
/// (WAGATE_SANDBOX_PORT, default 8095, on WAGATE_BIND_ADDRESS), keeping it in
/// WAGATE_DATA_DIR/sandbox-network.json across restarts; QR timings from
/// <see cref="SandboxOptions.From"/>.</summary>
public static class SandboxHost
{
    public static WebApplication Build(string[] args)
    {
        var builder = WebApplication.CreateBuilder(args);
        string? Setting(string name) => builder.Configuration[name] is { Length: > 0 } value ? value : null;
        var bind = IPAddress.Parse(Setting("WAGATE_BIND_ADDRESS") ?? "127.0.0.1");
        var port = int.Parse(Setting("WAGATE_SANDBOX_PORT") ?? "8095", CultureInfo.InvariantCulture);
        var dataDirectory = Path.GetFullPath(Setting("WAGATE_DATA_DIR") ?? ".wagate-sandbox");
        Directory.CreateDirectory(dataDirectory);
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Listen(bind, port, listen => listen.Protocols = HttpProtocols.Http2);
        });

        var network = new SandboxNetwork(SandboxOptions.From(Setting), TimeProvider.System);
        builder.Services.AddSingleton(network);
        // A factory registration, so the container disposes it: the last save happens at shutdown.
        builder.Services.AddSingleton(_ => SandboxSnapshotFile.Attach(network, Path.Combine(dataDirectory, "sandbox-network.json")));
        builder.Services.AddGrpc();
        builder.Services.AddGrpcHealthChecks().AddCheck("network", () => HealthCheckResult.Healthy());

        var app = builder.Build();
        app.Services.GetRequiredService<SandboxSnapshotFile>(); // restore before the first connection
        app.MapGrpcService<SandboxNetworkGrpcService>();
        app.MapGrpcHealthChecksService();
        return app;
    }
}
