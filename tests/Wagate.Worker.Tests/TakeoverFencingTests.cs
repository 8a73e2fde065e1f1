using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using Wagate.Cluster;
using Wagate.Contracts.Sandbox.V1;
using Wagate.Contracts.Session.V1;
using Wagate.Core;
using Wagate.Data;
using Wagate.Data.Messages;
using Wagate.Engines;
using Wagate.Engines.Sandbox;
using Wagate.Sandbox;
using Wagate.Storage;
using Wagate.Testing;
using Wagate.Worker.Runtime;
using Wagate.Worker.State;
using Xunit;
using SessionStateEnum = Wagate.Contracts.Session.V1.Session.Types.State;

namespace Wagate.Worker.Tests;

/// <summary>A worker whose session was taken over writes nothing that counts: its next state change
/// is refused by the fencing comparison, the network hears nothing acknowledged, and the session
/// stops there instead of reconnecting. Real parts throughout: a worker with the sandbox engine and
/// network, state in the single node's database and blob directory, ownership in its coordinator.</summary>
public sealed class TakeoverFencingTests : IAsyncLifetime
{
    private const string Tenant = "tenants/tn1";
    private const string Owner = "+15557000000";
    private const string Friend = "+15557000001";
    private static readonly SessionKey Session = new("tn1", "taken-over");
    private static readonly TimeSpan LeaseTtl = TimeSpan.FromSeconds(2);

    private readonly TempDirectory _directory = new();
    private readonly byte[] _stateKey = RandomNumberGenerator.GetBytes(32);
    private readonly InMemoryCoordinator _coordinator = new();
    private readonly SandboxNetwork _network = new(new SandboxOptions(), TimeProvider.System);
    private readonly List<ILease> _leases = [];
    private readonly List<DatabaseSessionStateStore> _stores = [];
    private readonly WorkerNode _workerA;

    public TakeoverFencingTests()
    {
        _network.CreatePhone(Tenant, Owner);
        _network.CreatePhone(Tenant, Friend);
        _workerA = new WorkerNode("workers/a", 10, [new SandboxEngine(_network)], StateStore(), new DiscardedStatus(),
            SessionDatabase.SqliteMessaging(_directory.Path), ReconnectBackoff.Default, TimeProvider.System, NullLoggerFactory.Instance);
    }

    public Task InitializeAsync() => SessionDatabase.CreateSqliteAsync(_directory.Path, Session);

    [Fact]
    public async Task After_a_takeover_the_old_owner_acknowledges_nothing_commits_nothing_and_stops()
    {
        var tokenA = await ClaimAsync("workers/a");
        await _workerA.StartSessionAsync(Session, Engine.Sandbox, tokenA);
        var qr = await Poll.UntilAsync(async () => (await _workerA.GetSnapshotAsync(Session))?.QrCode);
        _network.Scan(Tenant, qr.Code, Owner);
        await Poll.UntilAsync(async () => (await _workerA.GetSnapshotAsync(Session)) is { State: SessionStateEnum.Connected } s ? s : null);

        // A is presumed dead (paused, partitioned): its owner key goes and B claims the session.
        Assert.True(await _coordinator.DeleteAsync(ClusterKeys.Owner(Session)));
        await ClaimAsync("workers/b");
        var storeB = StateStore();
        var atTakeover = await storeB.LoadAsync(Session);
        var sent = _network.SendFromPhone(Tenant, Friend, Owner, "arrives at the old owner");

        var stopped = await Poll.UntilAsync(async () => (await _workerA.GetSnapshotAsync(Session)) is { IsTerminal: true } s ? s : null);
        Assert.Equal((SessionStateEnum.Disconnected, SessionProblem.OwnershipLost), (stopped.State, stopped.LastError?.Reason));
        var onPhone = _network.ListMessages(Tenant, Friend, 0, 10).Messages.Single(m => m.Id == sent.Id);
        Assert.Equal(SandboxMessage.Types.Status.Sent, onPhone.Status);
        Assert.False(atTakeover.IsEmpty);
        Assert.Equal(Describe(atTakeover), Describe(await storeB.LoadAsync(Session)));
    }

    public async Task DisposeAsync()
    {
        await _workerA.DisposeAsync();
        foreach (var store in _stores)
        {
            await store.DisposeAsync();
        }
        foreach (var lease in _leases)
        {
            await lease.DisposeAsync();
        }
        _directory.Dispose();
    }

    /// <summary>A worker's claim of the session, as a worker takes it before running it: the owner
    /// key bound to a lease of its own; its create revision is the fencing token.</summary>
    private async Task<long> ClaimAsync(string worker)
    {
        var lease = await _coordinator.GrantLeaseAsync(LeaseTtl);
        _leases.Add(lease);
        var token = await _coordinator.TryCreateAsync(ClusterKeys.Owner(Session), Encoding.UTF8.GetBytes(worker), lease.Id)
            ?? throw new InvalidOperationException($"{Session} is owned already.");
        // ... and in the database, where its writes are fenced (a runtime claims there before it loads).
        Assert.True(await new WorkerMessageLedger(new WagateDbContextFactory(DatabaseOptions.SqliteIn(_directory.Path)))
            .ClaimSessionAsync(Session.TenantId, Session.SessionId, token));
        return token;
    }

    /// <summary>Each worker's own store over the shared database and blob directory, as separate
    /// worker processes would have.</summary>
    private DatabaseSessionStateStore StateStore()
    {
        var store = SessionDatabase.SqliteStateStore(_directory.Path, new LocalDirectoryBlobStore(_directory.Path), new TenantStateCipher(_stateKey));
        _stores.Add(store);
        return store;
    }

    private static IEnumerable<string> Describe(SessionState state) =>
        state.Values.OrderBy(pair => pair.Key, StringComparer.Ordinal).Select(pair => $"{pair.Key}={Convert.ToHexString(pair.Value)}");
}
