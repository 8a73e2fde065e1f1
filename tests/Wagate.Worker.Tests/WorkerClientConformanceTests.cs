using System.Globalization;
using System.Security.Cryptography;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Wagate.Cluster;
using Wagate.Contracts.Sandbox.V1;
using Wagate.Contracts.Session.V1;
using Wagate.Core;
using Wagate.Core.Workers;
using Wagate.Engines.Sandbox;
using Wagate.Sandbox;
using Wagate.Storage;
using Wagate.Testing;
using Wagate.Worker.Runtime;
using Wagate.Worker.State;
using Xunit;
using SessionStateEnum = Wagate.Contracts.Session.V1.Session.Types.State;

namespace Wagate.Worker.Tests;

/// <summary>What the gateway relies on from a worker, whether it runs in the gateway's process
/// or in another one behind WorkerService. The worker is real: sandbox engine, sandbox network,
/// encrypted state in a local directory. The network runs on a clock the tests advance, so QR
/// codes change only when a test says so.</summary>
public abstract class WorkerClientConformanceTests : IAsyncLifetime
{
    private const string WorkerName = "workers/test-1";
    private const int Capacity = 4;
    private const string TenantId = "tn1";
    private const string Tenant = "tenants/" + TenantId;
    private const string Phone = "+15550000001";

    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(15);
    private static readonly SandboxOptions NetworkOptions = new();

    private readonly FakeTimeProvider _networkClock = new(DateTimeOffset.Parse("2026-01-01T00:00:00Z", CultureInfo.InvariantCulture));
    private readonly TempDirectory _directory = new();
    private readonly SandboxNetwork _network;
    private readonly DatabaseSessionStateStore _store;
    private readonly WorkerNode _node;
    private IWorkerClient _worker = null!;
    private int _sessions;
    private Wagate.Data.DatabaseOptions _database = null!;

    protected WorkerClientConformanceTests()
    {
        _network = new SandboxNetwork(NetworkOptions, _networkClock);
        _network.CreatePhone(Tenant, Phone);
        var blobs = new LocalDirectoryBlobStore(_directory.Path);
        var cipher = new TenantStateCipher(RandomNumberGenerator.GetBytes(32));
        _store = SessionDatabase.SqliteStateStore(_directory.Path, blobs, cipher);
        _node = new WorkerNode(WorkerName, Capacity, [new SandboxEngine(_network)], _store, new DiscardedStatus(),
            SessionDatabase.SqliteMessaging(_directory.Path), new ReconnectBackoff(TimeSpan.FromMilliseconds(20), TimeSpan.FromMilliseconds(200)), TimeProvider.System, NullLoggerFactory.Instance);
    }

    /// <summary>The adapter under test, in front of <paramref name="node"/>.</summary>
    protected abstract Task<IWorkerClient> ClientOfAsync(WorkerNode node);

    /// <summary>Brings the adapter's SessionCount and Capacity up to date, as placement does
    /// before it reads them.</summary>
    protected virtual Task RefreshLoadAsync() => Task.CompletedTask;

    public async Task InitializeAsync()
    {
        _database = await SessionDatabase.CreateSqliteAsync(_directory.Path);
        _worker = await ClientOfAsync(_node);
    }

    public virtual async Task DisposeAsync()
    {
        await _node.DisposeAsync();
        await _store.DisposeAsync();
        _directory.Dispose();
    }

    [Fact]
    public async Task A_started_session_shows_a_QR_code_then_connects_once_it_is_scanned()
    {
        var session = await NewSessionAsync();

        await _worker.StartSessionAsync(session, Engine.Sandbox, fencingToken: 1);
        var showing = await ShowingQrCodeAsync(session);
        _network.Scan(Tenant, showing.QrCode!.Code, Phone);
        var connected = await WaitForAsync(session, SessionStateEnum.Connected);

        Assert.Equal(1, showing.QrCode.Sequence);
        Assert.Equal("", showing.PhoneNumber);
        Assert.Equal(Phone, connected.PhoneNumber);
        Assert.Null(connected.QrCode);
        Assert.Null(connected.LastError);
        Assert.False((await _store.LoadAsync(session)).IsEmpty);
    }

    [Fact]
    public async Task Starting_a_running_session_again_changes_nothing()
    {
        var session = await NewSessionAsync();
        await _worker.StartSessionAsync(session, Engine.Sandbox, fencingToken: 1);
        var showing = await ShowingQrCodeAsync(session);

        await _worker.StartSessionAsync(session, Engine.Sandbox, fencingToken: 1);

        Assert.Equal(showing, await _worker.GetSnapshotAsync(session));
        await RefreshLoadAsync();
        Assert.Equal(1, _worker.SessionCount);
    }

    [Fact]
    public async Task A_watch_yields_the_current_snapshot_first_then_every_change_flagging_new_QR_codes()
    {
        var session = await NewSessionAsync();
        await _worker.StartSessionAsync(session, Engine.Sandbox, fencingToken: 1);
        await ShowingQrCodeAsync(session);
        var current = await _worker.GetSnapshotAsync(session);
        using var guard = new CancellationTokenSource(Patience);
        await using var changes = _worker.WatchAsync(session, guard.Token).GetAsyncEnumerator();

        Assert.True(await changes.MoveNextAsync());
        Assert.Equal(new SessionChange(current!, NewQrCode: true), changes.Current);

        _networkClock.Advance(NetworkOptions.FirstQrLifetime);
        Assert.True(await changes.MoveNextAsync());
        var rotated = changes.Current;
        Assert.True(rotated.NewQrCode);
        Assert.Equal((SessionStateEnum.ScanQrCode, 2), (rotated.Snapshot.State, rotated.Snapshot.QrCode!.Sequence));

        _network.Scan(Tenant, rotated.Snapshot.QrCode.Code, Phone);
        var afterScan = new List<SessionChange>();
        while (afterScan.LastOrDefault()?.Snapshot.State != SessionStateEnum.Connected)
        {
            Assert.True(await changes.MoveNextAsync());
            afterScan.Add(changes.Current);
        }
        Assert.Equal(new[] { SessionStateEnum.Connecting, SessionStateEnum.Connected }, afterScan.Select(c => c.Snapshot.State));
        Assert.All(afterScan, change => Assert.False(change.NewQrCode));
    }

    [Fact]
    public async Task A_pairing_code_is_issued_while_QR_codes_show_and_refused_once_connected()
    {
        var session = await NewSessionAsync();
        await _worker.StartSessionAsync(session, Engine.Sandbox, fencingToken: 1);
        await ShowingQrCodeAsync(session);

        var pairing = await _worker.RequestPairingCodeAsync(session, Phone);
        Assert.NotNull(pairing);
        Assert.Matches("^[A-Z2-9]{8}$", pairing.Code);
        Assert.Equal(_networkClock.GetUtcNow() + NetworkOptions.PairingCodeLifetime, pairing.ExpireTime);

        _network.Scan(Tenant, pairing.Code, Phone);
        await WaitForAsync(session, SessionStateEnum.Connected);
        Assert.Null(await _worker.RequestPairingCodeAsync(session, Phone));
    }

    [Fact]
    public async Task Received_messages_marked_read_show_read_on_the_senders_phone_only_while_connected()
    {
        const string Friend = "+15550000009";
        _network.CreatePhone(Tenant, Friend);
        var session = await NewSessionAsync();
        await _worker.StartSessionAsync(session, Engine.Sandbox, fencingToken: 1);
        Assert.False(await _worker.MarkReadAsync(session, Friend, ["SBNOTYET"])); // showing QR codes: nothing to read with
        await ConnectAsync(session);
        var question = _network.SendFromPhone(Tenant, Friend, Phone, "are you there?");

        Assert.True(await _worker.MarkReadAsync(session, Friend, [question.Id]));

        await Poll.UntilAsync(() => Status(question.Id) == SandboxMessage.Types.Status.Read);
        Assert.Equal(SandboxMessage.Types.Status.Read, Status(question.Id));
        Assert.False(await _worker.MarkReadAsync(new SessionKey(TenantId, "not-here"), Friend, [question.Id]));

        SandboxMessage.Types.Status Status(string id) => _network.ListMessages(Tenant, Friend, 0, 10).Messages.Single(m => m.Id == id).Status;
    }

    [Fact]
    public async Task Logging_out_ends_LOGGED_OUT_and_wipes_the_stored_state()
    {
        var session = await NewSessionAsync();
        await ConnectAsync(session);
        using var guard = new CancellationTokenSource(Patience);
        await using var changes = _worker.WatchAsync(session, guard.Token).GetAsyncEnumerator();
        Assert.True(await changes.MoveNextAsync()); // watching from here on

        var last = await _worker.LogoutSessionAsync(session);

        Assert.Equal(SessionStateEnum.LoggedOut, last?.State);
        Assert.Null(await _worker.LogoutSessionAsync(new SessionKey(TenantId, "not-here")));
        while (changes.Current.Snapshot.State != SessionStateEnum.LoggedOut)
        {
            Assert.True(await changes.MoveNextAsync());
        }
        var loggedOut = changes.Current.Snapshot;
        Assert.Equal(("", SessionProblem.LoggedOut), (loggedOut.PhoneNumber, loggedOut.LastError?.Reason));
        Assert.True((await _store.LoadAsync(session)).IsEmpty);
    }

    [Fact]
    public async Task A_stopped_session_is_logged_out_under_a_newer_token_and_never_under_an_older_one()
    {
        var session = await NewSessionAsync();
        await ConnectAsync(session);
        await _worker.StopSessionAsync(session);

        await _worker.LogoutStoppedSessionAsync(session, fencingToken: 5);

        Assert.True((await _store.LoadAsync(session)).IsEmpty);
        await using (var db = Wagate.Data.DataServiceCollectionExtensions.CreateContext(_database))
        {
            var row = db.Sessions.Single(s => s.TenantId == session.TenantId && s.Id == session.SessionId);
            Assert.Equal(((int)SessionStateEnum.LoggedOut, SessionProblem.LoggedOut, 5L), (row.State, row.ErrorReason, row.OwnerToken));
        }
        var refused = await Assert.ThrowsAnyAsync<InvalidOperationException>(() => _worker.LogoutStoppedSessionAsync(session, fencingToken: 3));
        Assert.Contains("owned by another writer", refused.Message);
    }

    [Fact]
    public async Task Stopping_keeps_the_stored_state_so_a_restart_connects_with_no_QR_code()
    {
        var session = await NewSessionAsync();
        await ConnectAsync(session);

        await _worker.StopSessionAsync(session);
        Assert.Null(await _worker.GetSnapshotAsync(session));
        Assert.False((await _store.LoadAsync(session)).IsEmpty);

        await _worker.StartSessionAsync(session, Engine.Sandbox, fencingToken: 2);
        var seen = await SeenUntilAsync(session, s => s.State == SessionStateEnum.Connected);
        Assert.All(seen, snapshot => Assert.Null(snapshot.QrCode));
        Assert.Equal(Phone, seen[^1].PhoneNumber);
    }

    [Fact]
    public async Task Deleting_a_session_forgets_it_and_wipes_its_state()
    {
        var session = await NewSessionAsync();
        await ConnectAsync(session);

        await _worker.DeleteSessionAsync(session);

        Assert.Null(await _worker.GetSnapshotAsync(session));
        Assert.True((await _store.LoadAsync(session)).IsEmpty);
        await RefreshLoadAsync();
        Assert.Equal(0, _worker.SessionCount);
    }

    [Fact]
    public async Task A_session_that_does_not_run_here_has_no_snapshot_no_pairing_code_and_an_empty_watch()
    {
        var unknown = new SessionKey(TenantId, "not-here");

        await _worker.StopSessionAsync(unknown);

        Assert.Null(await _worker.GetSnapshotAsync(unknown));
        Assert.Null(await _worker.RequestPairingCodeAsync(unknown, Phone));
        using var guard = new CancellationTokenSource(Patience);
        Assert.Empty(await _worker.WatchAsync(unknown, guard.Token).ToListAsync(guard.Token));
    }

    [Fact]
    public async Task The_worker_reports_its_name_capacity_and_session_count()
    {
        await _worker.StartSessionAsync(await NewSessionAsync(), Engine.Sandbox, fencingToken: 1);
        await _worker.StartSessionAsync(await NewSessionAsync(), Engine.Sandbox, fencingToken: 1);

        await RefreshLoadAsync();

        Assert.Equal((WorkerName, Capacity, 2), (_worker.Name, _worker.Capacity, _worker.SessionCount));
    }

    [Fact]
    public async Task Starting_a_session_on_an_engine_the_worker_lacks_is_refused()
    {
        var session = await NewSessionAsync();
        await Assert.ThrowsAsync<InvalidOperationException>(() => _worker.StartSessionAsync(session, Engine.Baileys, fencingToken: 1));
    }

    /// <summary>A session of its own for a test, with the row a worker claims before it runs it.</summary>
    private async Task<SessionKey> NewSessionAsync()
    {
        var session = new SessionKey(TenantId, $"s{Interlocked.Increment(ref _sessions)}");
        await SessionDatabase.AddAsync(_database, session);
        return session;
    }

    private async Task ConnectAsync(SessionKey session)
    {
        await _worker.StartSessionAsync(session, Engine.Sandbox, fencingToken: 1);
        var showing = await ShowingQrCodeAsync(session);
        _network.Scan(Tenant, showing.QrCode!.Code, Phone);
        await WaitForAsync(session, SessionStateEnum.Connected);
    }

    private async Task<SessionSnapshot> ShowingQrCodeAsync(SessionKey session) =>
        (await SeenUntilAsync(session, s => s.State == SessionStateEnum.ScanQrCode && s.QrCode is not null))[^1];

    private async Task<SessionSnapshot> WaitForAsync(SessionKey session, SessionStateEnum state) =>
        (await SeenUntilAsync(session, s => s.State == state))[^1];

    /// <summary>The snapshots a watch sees, from the current one up to the first that meets
    /// <paramref name="condition"/>.</summary>
    private async Task<IReadOnlyList<SessionSnapshot>> SeenUntilAsync(SessionKey session, Func<SessionSnapshot, bool> condition)
    {
        using var guard = new CancellationTokenSource(Patience);
        var seen = new List<SessionSnapshot>();
        await foreach (var change in _worker.WatchAsync(session, guard.Token))
        {
            seen.Add(change.Snapshot);
            if (condition(change.Snapshot))
            {
                return seen;
            }
        }
        Assert.Fail($"The watch of {session} ended before the awaited state; it saw {string.Join(", ", seen.Select(s => s.State))}.");
        return seen;
    }
}
