using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using Wagate.Cluster;
using Wagate.Cluster.Membership;
using Wagate.Cluster.Placement;
using Wagate.Contracts.Session.V1;
using Wagate.Core;
using Wagate.Engines.Sandbox;
using Wagate.Sandbox;
using Wagate.Storage;
using Wagate.Testing;
using Wagate.Worker.Clustering;
using Wagate.Worker.Runtime;
using Wagate.Worker.State;
using Xunit;
using SessionStateEnum = Wagate.Contracts.Session.V1.Session.Types.State;

namespace Wagate.Worker.Tests;

/// <summary>Workers follow the placement map through the coordinator: a session runs on the
/// worker that owns it, moves with no QR code when its worker drains, and comes back connected
/// on a survivor when its worker dies. Real parts throughout: the in-memory coordinator, the
/// placement controller, sandbox engines on one sandbox network, encrypted state objects in one
/// blob store with manifests committed under the owner key's fencing comparison.</summary>
public sealed class OwnershipAgentTests : IAsyncLifetime
{
    private static readonly TimeSpan LeaseTtl = TimeSpan.FromSeconds(2);
    private static readonly SessionKey Session = new("tn1", "support");
    private const string Phone = "+15558000000";

    private readonly InMemoryCoordinator _coordinator = new();
    private readonly SandboxNetwork _network = new(new SandboxOptions(), TimeProvider.System);
    private readonly TempDirectory _directory = new();
    private readonly List<IAsyncDisposable> _owned = [];
    private readonly Dictionary<string, (WorkerNode Node, WorkerRegistration Registration)> _workers = [];
    private DatabaseSessionStateStore _store = null!;

    public async Task InitializeAsync()
    {
        _network.CreatePhone(Session.TenantName, Phone);
        await SessionDatabase.CreateSqliteAsync(_directory.Path, Session);
        _store = SessionDatabase.SqliteStateStore(_directory.Path, new LocalDirectoryBlobStore(_directory.Path), new TenantStateCipher(RandomNumberGenerator.GetBytes(32)));
        _owned.Add(_store);
        foreach (var name in new[] { "workers/w1", "workers/w2" })
        {
            await StartWorkerAsync(name);
        }
        _owned.Add(PlacementController.Start(_coordinator, "gateway-1", LeaseTtl, NullLogger.Instance));
        await _coordinator.PutAsync(ClusterKeys.Of(ClusterKeys.Sessions, Session.Name), new DesiredSession((int)Engine.Sandbox, Generation: 1).ToBytes());
    }

    public async Task DisposeAsync()
    {
        foreach (var owned in Enumerable.Reverse(_owned))
        {
            await owned.DisposeAsync();
        }
        _directory.Dispose();
    }

    [Fact]
    public async Task A_session_runs_on_the_worker_it_is_placed_on_and_moves_without_a_QR_code_when_that_worker_drains()
    {
        var first = await LinkAsync();

        await _workers[first].Registration.ReportAsync(sessionCount: 1, draining: true);

        var second = await RunningConnectedElsewhereAsync(first);
        Assert.Empty(_workers[first].Node.Sessions);
        Assert.Equal(Phone, (await _workers[second].Node.GetSnapshotAsync(Session))!.PhoneNumber);
    }

    [Fact]
    public async Task When_a_worker_dies_its_session_comes_back_connected_on_a_survivor_with_no_scan()
    {
        var first = await LinkAsync();

        _workers[first].Registration.Lease.StopKeepAlive(); // the worker dies: no more renewals

        var survivor = await RunningConnectedElsewhereAsync(first);
        Assert.NotEqual(first, survivor);
        // The dead worker stopped its copy as soon as it knew its lease was gone: no two drivers.
        Assert.Empty(_workers[first].Node.Sessions);
    }

    [Fact]
    public async Task A_session_deleted_and_declared_again_at_once_runs_afresh_under_a_new_fencing_token()
    {
        await LinkAsync();
        var before = (await _coordinator.GetAsync(ClusterKeys.Owner(Session)))!.CreateRevision;
        var declared = ClusterKeys.Of(ClusterKeys.Sessions, Session.Name);

        // Both before the agent's next pass, as a DeleteSession and a CreateSession in a row can be.
        await _coordinator.DeleteAsync(declared);
        await _coordinator.PutAsync(declared, new DesiredSession((int)Engine.Sandbox, Generation: 1).ToBytes());

        var after = await Poll.UntilAsync(async () =>
            await _coordinator.GetAsync(ClusterKeys.Owner(Session)) is { } owner && owner.CreateRevision > before ? owner : null);
        var runner = _workers[Encoding.UTF8.GetString(after.Value)].Node;
        Assert.NotNull(await Poll.UntilAsync(() => runner.GetSnapshotAsync(Session)));
        Assert.All(_workers.Values.Where(w => w.Node != runner), w => Assert.Empty(w.Node.Sessions));
    }

    /// <summary>Waits for the session to be placed and show a QR code, scans it, waits until
    /// connected; returns the worker it runs on.</summary>
    private async Task<string> LinkAsync()
    {
        var (worker, snapshot) = await Poll.UntilAsync(async () =>
        {
            foreach (var (name, (node, _)) in _workers)
            {
                if (await node.GetSnapshotAsync(Session) is { QrCode: not null } showing)
                {
                    return Tuple.Create(name, showing);
                }
            }
            return null;
        });
        _network.Scan(Session.TenantName, snapshot.QrCode!.Code, Phone);
        await Poll.UntilAsync(async () => await _workers[worker].Node.GetSnapshotAsync(Session) is { State: SessionStateEnum.Connected } s ? s : null);
        return worker;
    }

    private async Task<string> RunningConnectedElsewhereAsync(string previous) =>
        (await Poll.UntilAsync(async () =>
        {
            foreach (var (name, (node, _)) in _workers.Where(w => w.Key != previous))
            {
                var snapshot = await node.GetSnapshotAsync(Session);
                Assert.NotEqual(SessionStateEnum.ScanQrCode, snapshot?.State ?? SessionStateEnum.Unspecified);
                if (snapshot is { State: SessionStateEnum.Connected })
                {
                    return name;
                }
            }
            return null;
        }, TimeSpan.FromSeconds(30)))!;

    private async Task StartWorkerAsync(string name)
    {
        var node = new WorkerNode(name, 100, [new SandboxEngine(_network)], _store, new DiscardedStatus(),
            SessionDatabase.SqliteMessaging(_directory.Path), new ReconnectBackoff(TimeSpan.FromMilliseconds(50), TimeSpan.FromMilliseconds(500)), TimeProvider.System, NullLoggerFactory.Instance);
        var registration = await WorkerRegistration.RegisterAsync(_coordinator,
            new WorkerRecord(name, "in-process", 100, 0, Environment.ProcessId, false, DateTimeOffset.UnixEpoch), LeaseTtl, TimeProvider.System);
        _owned.Add(node);
        _owned.Add(registration);
        _owned.Add(OwnershipAgent.Start(_coordinator, registration, node, NullLogger.Instance));
        _workers[name] = (node, registration);
    }
}
