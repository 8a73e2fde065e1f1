using System.Security.Cryptography;
using Google.Protobuf;
using Grpc.Core;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Wagate.Contracts.Admin.V1;
using Wagate.Contracts.Message.V1;
using Wagate.Gateway.Tests.Support;
using Wagate.Sandbox;
using Wagate.Sandbox.Hosting;
using Wagate.Testing;
using Wagate.Worker.Hosting;
using Xunit;
using MessageState = Wagate.Contracts.Message.V1.Message.Types.State;
using Session = Wagate.Contracts.Session.V1.Session;
using State = Wagate.Contracts.Session.V1.Session.Types.State;
using WorkerState = Wagate.Contracts.Admin.V1.Worker.Types.State;

namespace Wagate.Gateway.Tests;

/// <summary>The cluster end to end, each part its own host on loopback: a gateway on PostgreSQL
/// and etcd, two workers registered in etcd, the sandbox network. A customer links a session over
/// REST; it survives its worker stopping, and operators move it with MigrateSession and
/// DrainWorker, all with no scan.</summary>
public sealed class ClusterGatewayTests : IAsyncLifetime
{
    private const string Phone = "+15559000000";
    private const string Recipient = "+15559000001";

    /// <summary>Generous: a survivor that had to retry its connection waits out its backoff, and the
    /// whole suite runs in parallel on two cores.</summary>
    private static readonly TimeSpan MovePatience = TimeSpan.FromSeconds(60);

    private readonly TempDirectory _data = new();
    private readonly string _prefix = TestEtcd.NewKeyPrefix();
    private readonly string _stateKey = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
    private readonly Dictionary<string, WebApplication> _workers = [];
    private WebApplication _sandbox = null!;
    private int _sandboxPort;
    private TestServer _gateway = null!;

    private SandboxNetwork Network => _sandbox.Services.GetRequiredService<SandboxNetwork>();

    public async Task InitializeAsync()
    {
        var database = await TestPostgres.CreateDatabaseAsync();
        _sandboxPort = FreePort.Next();
        _sandbox = SandboxHost.Build([$"--WAGATE_SANDBOX_PORT={_sandboxPort}", $"--WAGATE_DATA_DIR={_data.Path}/sandbox"]);
        await _sandbox.StartAsync();
        foreach (var name in new[] { "a", "b" })
        {
            var app = await WorkerHost.BuildAsync(
            [
                $"--WAGATE_WORKER_NAME={name}", $"--WAGATE_WORKER_PORT={FreePort.Next()}", $"--WAGATE_STATE_KEY={_stateKey}",
                $"--WAGATE_SANDBOX_ADDRESS=http://127.0.0.1:{_sandboxPort}", $"--WAGATE_DATA_DIR={_data.Path}/worker",
                $"--WAGATE_ETCD={TestEtcd.Endpoint}", $"--WAGATE_ETCD_PREFIX={_prefix}", "--WAGATE_LEASE_TTL_SECONDS=5",
                $"--WAGATE_POSTGRES={database}",
            ]);
            await app.StartAsync();
            _workers[$"workers/{name}"] = app;
        }
        _gateway = await TestServer.StartClusterGatewayAsync(database, TestEtcd.Endpoint, _prefix, TestServer.WorkersMedia($"{_data.Path}/worker", _stateKey));
    }

    [Fact]
    public async Task A_session_linked_through_the_gateway_survives_its_worker_stopping_without_a_rescan()
    {
        var (driver, connected) = await LinkSessionAsync();

        await _workers[connected.Worker].StopAsync(); // the worker goes: its session moves
        await _workers[connected.Worker].DisposeAsync();
        _workers.Remove(connected.Worker);

        var moved = await WaitConnectedAsync(driver, connected.Name, worker => worker != connected.Worker);
        Assert.Equal(Phone, moved.PhoneNumber);
        Assert.Equal(_workers.Keys.Single(), moved.Worker);
    }

    [Fact]
    public async Task Operators_list_workers_migrate_a_session_and_drain_a_worker_without_a_rescan()
    {
        var (driver, connected) = await LinkSessionAsync();
        var admin = new AdminService.AdminServiceClient(_gateway.Grpc);
        var asAdmin = new Metadata { { "authorization", "Bearer " + (await Account.AdminAsync(_gateway.Api(Protocol.Grpc))).AccessToken } };

        var listed = (await admin.ListWorkersAsync(new ListWorkersRequest(), asAdmin)).Workers;
        Assert.Equal(["workers/a", "workers/b"], listed.Select(w => w.Name));
        Assert.All(listed, w => Assert.Equal(WorkerState.Ready, w.State));
        Assert.All(listed, w => Assert.Equal(Environment.ProcessId, w.ProcessId)); // the test hosts run in this process
        Assert.All(listed, w => Assert.StartsWith("http://127.0.0.1:", w.Address));

        var other = _workers.Keys.Single(w => w != connected.Worker);
        var migrated = await admin.MigrateSessionAsync(new MigrateSessionRequest { Name = connected.Name, TargetWorker = other }, asAdmin);
        Assert.Equal(other, (await WaitConnectedAsync(driver, connected.Name, worker => worker == other)).Worker);
        Assert.Equal(connected.Name, migrated.Session.Name);

        var drained = await admin.DrainWorkerAsync(new DrainWorkerRequest { Name = other }, asAdmin);
        Assert.Equal([connected.Name], drained.MovedSessions);
        Assert.Equal((WorkerState.Draining, 0), (drained.Worker.State, drained.Worker.SessionCount));
        var back = await WaitConnectedAsync(driver, connected.Name, worker => worker == connected.Worker);
        Assert.Equal(Phone, back.PhoneNumber);

        // The drained worker takes nothing new.
        var next = await driver.CreateAsync(displayName: "After the drain");
        Assert.Equal(connected.Worker, (await driver.WaitForStateAsync(next.Name, State.ScanQrCode)).Worker);

        var refused = await Assert.ThrowsAsync<RpcException>(() =>
            admin.MigrateSessionAsync(new MigrateSessionRequest { Name = next.Name, TargetWorker = other }, asAdmin).ResponseAsync);
        Assert.Equal(StatusCode.FailedPrecondition, refused.StatusCode);
        var unknown = await Assert.ThrowsAsync<RpcException>(() =>
            admin.DrainWorkerAsync(new DrainWorkerRequest { Name = "workers/nowhere" }, asAdmin).ResponseAsync);
        Assert.Equal(StatusCode.NotFound, unknown.StatusCode);
    }

    [Fact]
    public async Task A_worker_whose_lease_ends_under_it_drops_its_sessions_and_joins_again_with_none()
    {
        var (driver, connected) = await LinkSessionAsync();
        var directory = _gateway.Services.GetRequiredService<Hosting.ClusterGateway>().Directory;
        var before = directory.Find(connected.Worker)!;

        // What etcd does to a worker paused past its lease: the lease ends without the worker.
        using (var etcd = new dotnet_etcd.EtcdClient(TestEtcd.Endpoint.ToString()))
        {
            await etcd.LeaseRevokeAsync(new Etcdserverpb.LeaseRevokeRequest { ID = before.LeaseId });
        }

        var moved = await WaitConnectedAsync(driver, connected.Name, worker => worker != connected.Worker);
        Assert.Equal(Phone, moved.PhoneNumber);
        var rejoined = await Poll.UntilAsync(() => Task.FromResult(
            directory.Find(connected.Worker) is { } again && again.LeaseId != before.LeaseId ? again : null), MovePatience);
        Assert.Equal(0, rejoined.SessionCount);
        Assert.Equal(moved.Worker, (await driver.GetAsync(connected.Name)).Worker); // it stays where it went
    }

    [Fact]
    public async Task A_session_no_worker_can_take_is_starting_and_its_qr_code_is_unavailable_with_a_retry_delay()
    {
        foreach (var worker in _workers.Values)
        {
            await worker.StopAsync();
            await worker.DisposeAsync();
        }
        _workers.Clear();
        var account = await Account.RegisterAsync(_gateway.Api(Protocol.Grpc));
        var driver = new SessionDriver(_gateway, account, Protocol.Grpc);

        var created = await driver.CreateAsync();

        Assert.Equal(State.Starting, (await driver.GetAsync(created.Name)).State);
        var refused = await Assert.ThrowsAsync<ApiCallException>(() => driver.GetQrCodeAsync(created.Name));
        Assert.Equal((StatusCode.Unavailable, "NO_WORKER_AVAILABLE"), (refused.Code, refused.Info?.Reason));
        Assert.NotNull(refused.Detail<Google.Rpc.RetryInfo>());
    }

    [Fact]
    public async Task Media_sent_inline_to_the_gateway_reaches_the_phone_whole_from_the_sessions_worker()
    {
        var (driver, connected) = await LinkSessionAsync();
        var tenant = connected.Name[..connected.Name.IndexOf("/sessions/", StringComparison.Ordinal)];
        Network.CreatePhone(tenant, Recipient);
        var picture = RandomNumberGenerator.GetBytes(100_000);
        var messages = new MessageService.MessageServiceClient(_gateway.Grpc);

        var sent = (await messages.SendMessageAsync(new SendMessageRequest
        {
            Parent = connected.Name, To = Recipient, Image = new MediaContent { Data = ByteString.CopyFrom(picture), Caption = "The plan" },
        }, driver.Headers)).Message;

        await Poll.UntilAsync(async () =>
            (await messages.GetMessageAsync(new GetMessageRequest { Name = sent.Name }, driver.Headers)).Message is { State: MessageState.Delivered } delivered ? delivered : null,
            MovePatience);
        var arrived = Assert.Single(Network.ListMessages(tenant, Recipient, 0, 10).Messages).Content.Image;
        Assert.Equal((100_000L, Convert.ToHexStringLower(SHA256.HashData(picture)), "The plan"), (arrived.SizeBytes, arrived.Sha256, arrived.Caption));
    }

    /// <summary>A tenant's session created over REST and linked by scanning its QR code.</summary>
    private async Task<(SessionDriver Driver, Session Connected)> LinkSessionAsync()
    {
        var account = await Account.RegisterAsync(_gateway.Api(Protocol.Rest));
        Network.CreatePhone(account.TenantName, Phone);
        var driver = new SessionDriver(_gateway, account, Protocol.Rest);

        var created = await driver.CreateAsync();
        var showing = await driver.WaitForStateAsync(created.Name, State.ScanQrCode);
        var qr = await driver.GetQrCodeAsync(created.Name);
        Network.Scan(account.TenantName, qr.Code, Phone);
        var connected = await driver.WaitForStateAsync(created.Name, State.Connected);
        Assert.Equal(Phone, connected.PhoneNumber);
        Assert.Equal(showing.Worker, connected.Worker);
        return (driver, connected);
    }

    /// <summary>Polls until the session is CONNECTED on a worker <paramref name="on"/> accepts,
    /// reporting the last state seen if it never is.</summary>
    private static async Task<Session> WaitConnectedAsync(SessionDriver driver, string name, Func<string, bool> on)
    {
        Session? last = null;
        try
        {
            return await Poll.UntilAsync(async () =>
            {
                last = await driver.GetAsync(name);
                return last is { State: State.Connected } s && on(s.Worker) ? s : null;
            }, MovePatience);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"{name} did not come back connected where expected; last seen: {last}");
        }
    }

    public async Task DisposeAsync()
    {
        if (_gateway is not null)
        {
            await _gateway.DisposeAsync();
        }
        foreach (var worker in _workers.Values)
        {
            await worker.StopAsync();
            await worker.DisposeAsync();
        }
        if (_sandbox is not null)
        {
            await _sandbox.DisposeAsync();
        }
        _data.Dispose();
    }
}
