using System.Security.Cryptography;
using Grpc.Net.Client;
using Microsoft.AspNetCore.Builder;
using Wagate.Sandbox.Grpc;
using Wagate.Sandbox.Hosting;
using Wagate.Storage;
using Wagate.Testing;
using Wagate.Worker.Hosting;
using Xunit;

namespace Wagate.Gateway.Tests.Support;

/// <summary>A small cluster on loopback, shared by a class, each part its own host as in
/// production: the sandbox network process, <see cref="WorkerCount"/> workers registered in etcd,
/// and a cluster gateway on a fresh PostgreSQL database that reaches them.</summary>
public class ClusterFixture : IServerFixture, IAsyncLifetime
{
    private readonly TempDirectory _data = new();
    private readonly List<WebApplication> _workers = [];
    private WebApplication? _sandbox;
    private GrpcChannel? _sandboxChannel;

    /// <summary>The cluster gateway.</summary>
    public TestServer Server { get; private set; } = null!;

    /// <summary>Settings of the sandbox network process, as --NAME=value.</summary>
    protected virtual IReadOnlyList<string> SandboxSettings => [];

    /// <summary>Workers named "a", "b", and so on.</summary>
    protected virtual int WorkerCount => 1;

    /// <summary>More settings of every worker, as --NAME=value.</summary>
    protected virtual IReadOnlyList<string> WorkerSettings => [];

    /// <summary>More settings of the gateway, as --NAME=value.</summary>
    protected virtual IReadOnlyList<string> GatewaySettings => [];

    /// <summary>The directory of the blob store the workers share (session state, media).</summary>
    public string StateDirectory => Path.Combine(_data.Path, "worker", "state");

    /// <summary>Where the worker takes media sent inline from, for other gateways of its cluster.</summary>
    public MediaStore Media { get; private set; } = null!;

    /// <summary>The sandbox network process's internal SandboxNetworkService, to see what the
    /// devices did.</summary>
    public GrpcSandboxNetworkClient SandboxNetwork { get; private set; } = null!;

    public virtual async Task InitializeAsync()
    {
        var prefix = TestEtcd.NewKeyPrefix();
        var database = await TestPostgres.CreateDatabaseAsync();
        var sandboxAddress = new Uri($"http://127.0.0.1:{FreePort.Next()}");
        _sandbox = SandboxHost.Build([$"--WAGATE_SANDBOX_PORT={sandboxAddress.Port}", $"--WAGATE_DATA_DIR={_data.Path}/sandbox", .. SandboxSettings]);
        await _sandbox.StartAsync();
        _sandboxChannel = GrpcChannel.ForAddress(sandboxAddress);
        SandboxNetwork = new GrpcSandboxNetworkClient(_sandboxChannel);
        var stateKey = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
        for (var i = 0; i < WorkerCount; i++)
        {
            // Every worker of a cluster shares one blob store: here, one data directory.
            var worker = await WorkerHost.BuildAsync(
            [
                $"--WAGATE_WORKER_NAME={(char)('a' + i)}", $"--WAGATE_WORKER_PORT={FreePort.Next()}",
                $"--WAGATE_STATE_KEY={stateKey}",
                $"--WAGATE_SANDBOX_ADDRESS={sandboxAddress}", $"--WAGATE_DATA_DIR={_data.Path}/worker",
                $"--WAGATE_ETCD={TestEtcd.Endpoint}", $"--WAGATE_ETCD_PREFIX={prefix}", "--WAGATE_LEASE_TTL_SECONDS=5",
                $"--WAGATE_POSTGRES={database}", "--WAGATE_SEND_MIN_GAP_MS=0", "--WAGATE_SEND_JITTER_MS=0",
                .. WorkerSettings,
            ]);
            await worker.StartAsync();
            _workers.Add(worker);
        }
        Media = TestServer.WorkersMedia($"{_data.Path}/worker", stateKey);
        Server = await TestServer.StartClusterGatewayAsync(database, TestEtcd.Endpoint, prefix, Media, sandboxAddress, [.. GatewaySettings]);
    }

    public async Task DisposeAsync()
    {
        if (Server is not null)
        {
            await Server.DisposeAsync();
        }
        foreach (var host in _workers.Append(_sandbox))
        {
            if (host is not null)
            {
                await host.StopAsync();
                await host.DisposeAsync();
            }
        }
        _sandboxChannel?.Dispose();
        _data.Dispose();
    }
}
