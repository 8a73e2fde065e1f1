using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Grpc.Net.Client;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Wagate.Cluster;
using Wagate.Cluster.Placement;
using Wagate.Contracts.Session.V1;
using Wagate.Core;
using Wagate.Core.Workers;
using Wagate.Sandbox;
using Wagate.Sandbox.Hosting;
using Wagate.Testing;
using Wagate.Worker.Grpc;
using Wagate.Worker.Hosting;
using Wagate.Worker.Runtime;
using Xunit;
using SessionState = Wagate.Contracts.Session.V1.Session.Types.State;

namespace Wagate.Worker.Tests;

/// <summary>The cluster hosts as they run on their own: a sandbox network host and worker hosts
/// talking over gRPC, on the gateways' database, and on etcd. A session linked on one worker resumes on another worker
/// process from its stored state, with no scan.</summary>
public sealed class ClusterProcessesTests
{
    private static readonly SessionKey Session = new("tn1", "support");
    private const string Phone = "+15554000000";

    [Fact]
    public async Task A_session_linked_on_one_worker_process_resumes_on_the_next_with_no_scan()
    {
        using var data = new TempDirectory();
        var sandboxPort = FreePort.Next();
        var stateKey = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
        var database = await SessionDatabase.CreatePostgresAsync(Session);
        await using var sandbox = SandboxHost.Build([$"--WAGATE_SANDBOX_PORT={sandboxPort}", $"--WAGATE_DATA_DIR={data.Path}/sandbox"]);
        await sandbox.StartAsync();
        var network = sandbox.Services.GetRequiredService<SandboxNetwork>();
        network.CreatePhone(Session.TenantName, Phone);

        await using (var first = await StartWorkerAsync("first", sandboxPort, stateKey, data.Path, database))
        {
            await first.Client.StartSessionAsync(Session, Engine.Sandbox, fencingToken: 1);
            var qr = await WaitForAsync(first.Client, s => s.QrCode is not null);
            network.Scan(Session.TenantName, qr.QrCode!.Code, Phone);
            Assert.Equal(Phone, (await WaitForAsync(first.Client, s => s.State == SessionState.Connected)).PhoneNumber);
        }

        await using var second = await StartWorkerAsync("second", sandboxPort, stateKey, data.Path, database);
        await second.Client.StartSessionAsync(Session, Engine.Sandbox, fencingToken: 2);
        var resumed = await WaitForAsync(second.Client, s => s.State is SessionState.Connected or SessionState.ScanQrCode);

        Assert.Equal(SessionState.Connected, resumed.State);
        Assert.Equal(Phone, resumed.PhoneNumber);
        Assert.Equal("workers/second", second.Client.Name);
    }

    [Fact]
    public async Task Workers_on_etcd_run_what_is_placed_on_them_and_a_stopped_workers_session_moves_with_no_scan()
    {
        using var data = new TempDirectory();
        var sandboxPort = FreePort.Next();
        var stateKey = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
        var prefix = TestEtcd.NewKeyPrefix();
        var database = await SessionDatabase.CreatePostgresAsync(Session);
        await using var sandbox = SandboxHost.Build([$"--WAGATE_SANDBOX_PORT={sandboxPort}", $"--WAGATE_DATA_DIR={data.Path}/sandbox"]);
        await sandbox.StartAsync();
        var network = sandbox.Services.GetRequiredService<SandboxNetwork>();
        network.CreatePhone(Session.TenantName, Phone);
        string[] cluster = [$"--WAGATE_ETCD={TestEtcd.Endpoint}", $"--WAGATE_ETCD_PREFIX={prefix}", "--WAGATE_LEASE_TTL_SECONDS=5"];
        var workers = new Dictionary<string, RunningWorker>
        {
            ["workers/a"] = await StartWorkerAsync("a", sandboxPort, stateKey, data.Path, database, cluster),
            ["workers/b"] = await StartWorkerAsync("b", sandboxPort, stateKey, data.Path, database, cluster),
        };
        // What a gateway does: say the session should run, and run a placement controller.
        using var gateway = new EtcdCoordinator(new EtcdCoordinatorOptions { Endpoint = TestEtcd.Endpoint, KeyPrefix = prefix });
        await using var controller = PlacementController.Start(gateway, "gateway-1", TimeSpan.FromSeconds(5), NullLogger.Instance);
        await gateway.PutAsync(ClusterKeys.Of(ClusterKeys.Sessions, Session.Name), new DesiredSession((int)Engine.Sandbox, Generation: 1).ToBytes());
        try
        {
            var placed = await Poll.UntilAsync(async () => await gateway.GetAsync(ClusterKeys.Of(ClusterKeys.Placements, Session.Name)) is { } p
                ? Encoding.UTF8.GetString(p.Value) : null);
            var first = workers[placed];
            // The placement precedes the start: the worker takes the owner key, then runs it.
            var qr = await Poll.UntilAsync(async () => (await first.Client.GetSnapshotAsync(Session))?.QrCode);
            network.Scan(Session.TenantName, qr.Code, Phone);
            await Poll.UntilAsync(async () => await first.Client.GetSnapshotAsync(Session) is { State: SessionState.Connected } s ? s : null);

            await first.DisposeAsync(); // its process stops: it leaves the cluster, its session moves
            workers.Remove(placed);

            var survivor = workers.Values.Single();
            var resumed = await Poll.UntilAsync(async () => await survivor.Client.GetSnapshotAsync(Session) is { State: SessionState.Connected } s ? s : null,
                TimeSpan.FromSeconds(30));
            Assert.Equal(Phone, resumed.PhoneNumber);
        }
        finally
        {
            foreach (var worker in workers.Values)
            {
                await worker.DisposeAsync();
            }
        }
    }

    private sealed record RunningWorker(WebApplication App, GrpcWorkerClient Client, GrpcChannel Channel) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            Channel.Dispose();
            await App.StopAsync();
            await App.DisposeAsync();
        }
    }

    private static async Task<RunningWorker> StartWorkerAsync(
        string name, int sandboxPort, string stateKey, string dataDirectory, string database, params string[] extra)
    {
        var port = FreePort.Next();
        var app = await WorkerHost.BuildAsync(
        [
            $"--WAGATE_WORKER_NAME={name}", $"--WAGATE_WORKER_PORT={port}", $"--WAGATE_STATE_KEY={stateKey}",
            $"--WAGATE_SANDBOX_ADDRESS=http://127.0.0.1:{sandboxPort}", $"--WAGATE_DATA_DIR={dataDirectory}/worker",
            $"--WAGATE_POSTGRES={database}", .. extra,
        ]);
        await app.StartAsync();
        var channel = GrpcChannel.ForAddress($"http://127.0.0.1:{port}");
        var client = new GrpcWorkerClient($"workers/{name}", channel);
        await client.RefreshAsync();
        return new RunningWorker(app, client, channel);
    }

    private static async Task<SessionSnapshot> WaitForAsync(GrpcWorkerClient worker, Func<SessionSnapshot, bool> condition)
    {
        using var guard = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        await foreach (var change in worker.WatchAsync(Session, guard.Token))
        {
            if (condition(change.Snapshot))
            {
                return change.Snapshot;
            }
        }
        throw new InvalidOperationException($"{Session} stopped running before the condition held.");
    }
}
