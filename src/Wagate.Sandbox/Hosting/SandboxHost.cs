using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;
using Wagate.Sandbox.Grpc;
using Wagate.Sandbox.Persistence;
using Wagate.ServiceDefaults;
using Wagate.Settings;

namespace Wagate.Sandbox.Hosting;

/// <summary>Serves the sandbox network on an h2c port (WAGATE_SANDBOX_PORT, default 8095, on
/// WAGATE_BIND_ADDRESS): its device side to workers over SandboxNetworkService, its phones to
/// cluster gateways over SandboxService (unauthenticated: the port is internal, the gateways
/// check access), and /healthz, /readyz and /metrics on WAGATE_SANDBOX_HTTP_PORT when set. It keeps the network in WAGATE_DATA_DIR/sandbox-network.json across restarts;
/// QR timings from <see cref="SandboxOptions.From"/>.</summary>
public static class SandboxHost
{
    public const int DefaultPort = 8095;

    /// <summary>Where workers and cluster gateways look for the network unless told otherwise
    /// (WAGATE_SANDBOX_ADDRESS).</summary>
    public static readonly Uri DefaultAddress = new($"http://127.0.0.1:{DefaultPort}");

    public static WebApplication Build(string[] args)
    {
        var builder = WebApplication.CreateBuilder(args);
        var settings = new SettingReader(name => builder.Configuration[name]);
        var bind = settings.Address("WAGATE_BIND_ADDRESS", IPAddress.Loopback);
        var port = settings.Port("WAGATE_SANDBOX_PORT", DefaultPort);
        var httpPort = settings.Text("WAGATE_SANDBOX_HTTP_PORT") is null ? (int?)null : settings.Port("WAGATE_SANDBOX_HTTP_PORT", 0);
        var dataDirectory = Path.GetFullPath(settings.Text("WAGATE_DATA_DIR") ?? ".wagate-sandbox");
        Directory.CreateDirectory(dataDirectory);
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Listen(bind, port, listen => listen.Protocols = HttpProtocols.Http2);
            if (httpPort is { } http)
            {
                kestrel.Listen(bind, http, listen => listen.Protocols = HttpProtocols.Http1);
            }
        });
        builder.AddServiceDefaults("wagate-sandbox");

        var network = new SandboxNetwork(SandboxOptions.From(settings), TimeProvider.System);
        builder.Services.AddSingleton(network);
        builder.Services.AddSingleton<ISandboxPhones>(new InProcessSandboxPhones(network));
        // A factory registration, so the container disposes it: the last save happens at shutdown.
        builder.Services.AddSingleton(services => SandboxSnapshotFile.Attach(network, Path.Combine(dataDirectory, "sandbox-network.json"),
            services.GetRequiredService<ILogger<SandboxSnapshotFile>>()));
        builder.Services.AddGrpc();
        builder.Services.AddGrpcHealthChecks().AddCheck("network", () => HealthCheckResult.Healthy());

        var app = builder.Build();
        app.Services.GetRequiredService<SandboxSnapshotFile>(); // restore before the first connection
        app.MapGrpcService<SandboxNetworkGrpcService>();
        app.MapGrpcService<SandboxPhonesGrpcService>();
        app.MapGrpcHealthChecksService();
        app.MapServiceDefaults();
        return app;
    }
}
