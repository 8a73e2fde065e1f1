using Grpc.Core;
using Wagate.Contracts.Admin.V1;
using Wagate.Contracts.Session.V1;
using Wagate.Gateway.Tests.Support;
using Wagate.Testing;
using Xunit;
using SessionState = Wagate.Contracts.Session.V1.Session.Types.State;
using WorkerState = Wagate.Contracts.Admin.V1.Worker.Types.State;

namespace Wagate.Gateway.Tests;

/// <summary>Operators list workers, drain one, and migrate a session: sessions move with no QR
/// code and stay connected to the same number. On the single node and on a cluster of three
/// workers each, a fresh one per test, since drains leave their mark.</summary>
public abstract class AdminTests<TPlatform> : IAsyncLifetime where TPlatform : IServerFixture, IAsyncLifetime, new()
{
    private readonly TPlatform _platform = new();
    private TestServer _server = null!;
    private AdminService.AdminServiceClient _admin = null!;
    private Metadata _asAdmin = null!;

    /// <summary>The names of the platform's three workers, in order.</summary>
    protected abstract IReadOnlyList<string> WorkerNames { get; }

    public async Task InitializeAsync()
    {
        await _platform.InitializeAsync();
        _server = _platform.Server;
        _admin = new AdminService.AdminServiceClient(_server.Grpc);
        var token = (await Account.AdminAsync(_server.Api(Protocol.Grpc))).AccessToken!;
        _asAdmin = new Metadata { { "authorization", "Bearer " + token } };
    }

    public Task DisposeAsync() => _platform.DisposeAsync();

    [Fact]
    public async Task Workers_are_listed_with_their_load()
    {
        var driver = new SessionDriver(_server, await Account.RegisterAsync(_server.Api(Protocol.Grpc)), Protocol.Grpc);
        var session = await driver.CreateAsync();

        var workers = (await _admin.ListWorkersAsync(new ListWorkersRequest(), _asAdmin)).Workers;

        Assert.Equal(WorkerNames, workers.Select(w => w.Name));
        Assert.All(workers, w => Assert.Equal((WorkerState.Ready, 1000, Environment.ProcessId), (w.State, w.Capacity, w.ProcessId)));
        Assert.Equal(1, workers.Single(w => w.Name == session.Worker).SessionCount);
    }

    [Fact]
    public async Task Draining_a_worker_moves_its_sessions_away_connected_and_without_a_QR_code()
    {
        var driver = new SessionDriver(_server, await Account.RegisterAsync(_server.Api(Protocol.Grpc)), Protocol.Grpc);
        var connected = new List<Session>();
        for (var i = 0; i < 4; i++)
        {
            connected.Add((await driver.CreateConnectedAsync($"+155570000{i:D2}")).Session);
        }
        var drained = connected[0].Worker;
        var onDrained = connected.Where(s => s.Worker == drained).Select(s => s.Name).ToList();

        var result = await _admin.DrainWorkerAsync(new DrainWorkerRequest { Name = drained }, _asAdmin);

        Assert.Equal(WorkerState.Draining, result.Worker.State);
        Assert.Equal(onDrained.Order(), result.MovedSessions.Order());
        foreach (var before in connected)
        {
            var after = await driver.WaitForStateAsync(before.Name, SessionState.Connected);
            Assert.NotEqual(drained, after.Worker);
            Assert.Equal(before.PhoneNumber, after.PhoneNumber);
        }
        // A drained worker takes no new sessions.
        Assert.NotEqual(drained, (await driver.CreateAsync()).Worker);
        var workers = (await _admin.ListWorkersAsync(new ListWorkersRequest(), _asAdmin)).Workers;
        Assert.Equal(0, workers.Single(w => w.Name == drained).SessionCount);
    }

    [Fact]
    public async Task Migrating_a_session_moves_it_to_the_named_worker_still_connected()
    {
        var driver = new SessionDriver(_server, await Account.RegisterAsync(_server.Api(Protocol.Grpc)), Protocol.Grpc);
        var (session, phone) = await driver.CreateConnectedAsync("+15557100000");
        var target = session.Worker == WorkerNames[2] ? WorkerNames[0] : WorkerNames[2];

        var migrated = await _admin.MigrateSessionAsync(new MigrateSessionRequest { Name = session.Name, TargetWorker = target }, _asAdmin);

        Assert.Equal(target, migrated.Session.Worker);
        var after = await driver.WaitForStateAsync(session.Name, SessionState.Connected);
        Assert.Equal((target, phone), (after.Worker, after.PhoneNumber));
    }

    [Fact]
    public async Task Only_platform_administrators_may_use_the_admin_service()
    {
        var customer = await Account.RegisterAsync(_server.Api(Protocol.Grpc));

        var refused = await Assert.ThrowsAsync<RpcException>(() =>
            _admin.ListWorkersAsync(new ListWorkersRequest(), new Metadata { { "x-api-key", customer.Registration.ApiKey.Key } }).ResponseAsync);
        var unknownWorker = await Assert.ThrowsAsync<RpcException>(() =>
            _admin.DrainWorkerAsync(new DrainWorkerRequest { Name = "workers/nowhere" }, _asAdmin).ResponseAsync);

        Assert.Equal(StatusCode.PermissionDenied, refused.StatusCode);
        Assert.Equal(StatusCode.NotFound, unknownWorker.StatusCode);
    }

    [Fact]
    public async Task Stats_count_the_platform()
    {
        var driver = new SessionDriver(_server, await Account.RegisterAsync(_server.Api(Protocol.Grpc)), Protocol.Grpc);
        await driver.CreateConnectedAsync("+15557200000");

        var stats = (await _admin.GetStatsAsync(new GetStatsRequest(), _asAdmin)).Stats;

        Assert.True(stats.TenantCount >= 2);
        Assert.True(stats.SessionCount >= 1);
        Assert.Equal(3, stats.WorkerCount);
    }
}

public sealed class SingleNodeAdminTests : AdminTests<SingleNodeAdminTests.ThreeWorkers>
{
    protected override IReadOnlyList<string> WorkerNames => ["workers/local-1", "workers/local-2", "workers/local-3"];

    public sealed class ThreeWorkers : SingleNodeFixture
    {
        protected override IReadOnlyList<string> Settings => ["--WAGATE_WORKERS=3"];
    }
}

public sealed class ClusterAdminTests : AdminTests<ClusterAdminTests.ThreeWorkers>
{
    protected override IReadOnlyList<string> WorkerNames => ["workers/a", "workers/b", "workers/c"];

    public sealed class ThreeWorkers : ClusterFixture
    {
        protected override int WorkerCount => 3;
    }
}
