using System.Security.Cryptography;
using Grpc.Net.Client;
using Grpc.Net.Client.Web;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Wagate.Data;
using Wagate.Gateway.Hosting;
using Wagate.Sandbox.Hosting;
using Wagate.Server;
using Wagate.Storage;
using Wagate.Testing;

namespace Wagate.Gateway.Tests.Support;

/// <summary>A real gateway in this process, listening on loopback ports, reached through real
/// gRPC (h2c), gRPC-Web (HTTP/1.1) and REST clients.</summary>
public sealed class TestServer : IAsyncDisposable
{
    public const string AdminEmail = "admin@wagate.test";
    public const string AdminPassword = "Admin-Passw0rd-42";

    private readonly WebApplication _app;

    private TestServer(WebApplication app, int httpPort, int grpcPort)
    {
        _app = app;
        HttpPort = httpPort;
        GrpcPort = grpcPort;
        Http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{httpPort}") };
        Grpc = GrpcChannel.ForAddress($"http://127.0.0.1:{grpcPort}");
        GrpcWeb = GrpcChannel.ForAddress($"http://127.0.0.1:{httpPort}", new GrpcChannelOptions
        {
            HttpHandler = new GrpcWebHandler(GrpcWebMode.GrpcWeb, new HttpClientHandler()),
            // gRPC-Web is served on the HTTP/1.1 port, as browsers reach it.
            HttpVersion = System.Net.HttpVersion.Version11,
            HttpVersionPolicy = HttpVersionPolicy.RequestVersionExact,
        });
    }

    public int HttpPort { get; }
    public int GrpcPort { get; }
    public HttpClient Http { get; }
    public GrpcChannel Grpc { get; }
    public GrpcChannel GrpcWeb { get; }

    public IServiceProvider Services => _app.Services;

    /// <summary>A context on the server's own database, to check what a call wrote.</summary>
    public WagateDbContext OpenDatabase() =>
        DataServiceCollectionExtensions.CreateContext(_app.Services.GetRequiredService<DatabaseOptions>());

    public IWagateApi Api(Protocol protocol) => protocol switch
    {
        Protocol.Grpc => new GrpcApi(Grpc),
        Protocol.GrpcWeb => new GrpcApi(GrpcWeb),
        Protocol.Rest => new RestApi(Http),
        _ => throw new ArgumentOutOfRangeException(nameof(protocol)),
    };

    /// <summary>The single-node host (SQLite under <paramref name="dataDirectory"/>), exactly as
    /// tools/up runs it.</summary>
    public static Task<TestServer> StartSingleNodeAsync(string dataDirectory, params string[] settings) =>
        StartAsync(args => SingleNode.Build(args), ["--WAGATE_DATA_DIR=" + dataDirectory, .. settings]);

    /// <summary>The cluster gateway host on a PostgreSQL database.</summary>
    public static Task<TestServer> StartOnPostgresAsync(string connectionString) =>
        StartAsync(args => GatewayHost.Build(args, _ => new GatewayBackends(
            DatabaseOptions.Postgres(connectionString), SigningKey)), []);

    /// <summary>The cluster gateway host on PostgreSQL, serving sessions on the workers registered in
    /// etcd under <paramref name="etcdPrefix"/>, keeping inline media in the workers' <paramref name="media"/>,
    /// and the phones of the sandbox network process at <paramref name="sandbox"/> (the default
    /// address when null), with more <paramref name="settings"/> as --NAME=value.</summary>
    public static Task<TestServer> StartClusterGatewayAsync(
        string connectionString, Uri etcd, string etcdPrefix, MediaStore media, Uri? sandbox = null, params string[] settings) =>
        StartAsync(args => GatewayHost.Build(args, _ => new GatewayBackends(
            DatabaseOptions.Postgres(connectionString), SigningKey,
            Cluster: new ClusterOptions(etcd, etcdPrefix, TimeSpan.FromSeconds(5)) { SandboxAddress = sandbox ?? SandboxHost.DefaultAddress },
            WebhookKey: WebhookKey,
            Media: media)), ["--WAGATE_WEBHOOK_ALLOW_LOOPBACK=1", .. settings]);

    /// <summary>The media store of workers started with WAGATE_DATA_DIR=<paramref name="workerDataDirectory"/>
    /// and WAGATE_STATE_KEY=<paramref name="stateKey"/> (base64) on their local blob store.</summary>
    public static MediaStore WorkersMedia(string workerDataDirectory, string stateKey) =>
        new(new LocalDirectoryBlobStore(Path.Combine(workerDataDirectory, "state")), Convert.FromBase64String(stateKey));

    private static readonly byte[] SigningKey = RandomNumberGenerator.GetBytes(32);

    /// <summary>Shared by every replica, as a deployment's WAGATE_WEBHOOK_KEY is.</summary>
    private static readonly byte[] WebhookKey = RandomNumberGenerator.GetBytes(32);

    private static async Task<TestServer> StartAsync(Func<string[], WebApplication> build, string[] extraArgs)
    {
        // A free port can be taken by a test running in parallel before this server binds it:
        // then try other ports, a few times.
        for (var attempt = 1; ; attempt++)
        {
            var httpPort = FreePort.Next();
            var grpcPort = FreePort.Next();
            string[] args =
            [
                .. extraArgs,
                $"--WAGATE_HTTP_PORT={httpPort}",
                $"--WAGATE_GRPC_PORT={grpcPort}",
                $"--WAGATE_ADMIN_EMAIL={AdminEmail}",
                $"--WAGATE_ADMIN_PASSWORD={AdminPassword}",
                // The smallest work factor the gateway accepts, to keep hundreds of test logins quick.
                "--WAGATE_PASSWORD_ITERATIONS=10000",
            ];
            var app = build(args);
            try
            {
                await GatewayHost.InitializeAsync(app);
                await app.StartAsync();
                return new TestServer(app, httpPort, grpcPort);
            }
            catch (IOException taken) when (attempt < 5 && taken.InnerException is Microsoft.AspNetCore.Connections.AddressInUseException)
            {
                await app.DisposeAsync();
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        Grpc.Dispose();
        GrpcWeb.Dispose();
        Http.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
    }
}

public enum Protocol
{
    Grpc,
    GrpcWeb,
    Rest,
}
