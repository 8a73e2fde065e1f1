using System.Security.Cryptography;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;
using Wagate.Core;
using Wagate.Data;
using Wagate.Data.Messages;
using Wagate.Data.Sessions;
using Wagate.Engines;
using Wagate.Storage;
using Wagate.Testing;
using Wagate.Worker.Runtime;
using Wagate.Worker.State;
using Xunit;

namespace Wagate.Worker.Tests;

/// <summary>One suite for the session state store on each database it runs on: the single node's
/// SQLite file and a cluster's PostgreSQL. What a write's completion promises (durable: another
/// process loads it), what fencing promises (an older owner's write or wipe changes nothing once a
/// newer owner claimed the session), what compaction must keep (the same state, in fewer rows),
/// and that a session's state is sealed and its own. Loads go through a second store, as the
/// next owner's process would read them.</summary>
public abstract class SessionStateStoreConformanceTests : IAsyncLifetime
{
    private static readonly SessionKey Session = new("tn1", "s1");
    private static readonly SessionKey Other = new("tn1", "s2");

    private readonly TempDirectory _directory = new();
    private readonly byte[] _stateKey = RandomNumberGenerator.GetBytes(32);
    private readonly List<DatabaseSessionStateStore> _stores = [];
    private DatabaseOptions _database = null!;
    private long _lastToken;

    /// <summary>A migrated database holding the rows of <paramref name="sessions"/>.</summary>
    protected abstract Task<DatabaseOptions> CreateDatabaseAsync(string directory, SessionKey[] sessions);

    public async Task InitializeAsync() => _database = await CreateDatabaseAsync(_directory.Path, [Session, Other]);

    public async Task DisposeAsync()
    {
        foreach (var store in _stores)
        {
            await store.DisposeAsync();
        }
        _directory.Dispose();
    }

    private LocalDirectoryBlobStore Blobs => new(Path.Combine(_directory.Path, "state"));

    /// <summary>A store as one worker process has it.</summary>
    private DatabaseSessionStateStore NewStore()
    {
        var store = new DatabaseSessionStateStore(new SessionStateLog(new WagateDbContextFactory(_database)), Blobs,
            new TenantStateCipher(_stateKey), NullLogger<DatabaseSessionStateStore>.Instance);
        _stores.Add(store);
        return store;
    }

    /// <summary>Claims the session for a new owner, as a runtime does before it loads, and returns
    /// that owner's token; every earlier owner's is older.</summary>
    private async Task<long> HandToNewOwnerAsync(SessionKey session)
    {
        var token = ++_lastToken;
        Assert.True(await new WorkerMessageLedger(new WagateDbContextFactory(_database)).ClaimSessionAsync(session.TenantId, session.SessionId, token));
        return token;
    }

    private static StateDelta Set(string key, string value) => new(new Dictionary<string, byte[]?> { [key] = Encoding.UTF8.GetBytes(value) });

    private static StateDelta Remove(string key) => new(new Dictionary<string, byte[]?> { [key] = null });

    private async Task<Dictionary<string, string>> LoadedAsync(SessionKey session) =>
        (await NewStore().LoadAsync(session)).Values.ToDictionary(p => p.Key, p => Encoding.UTF8.GetString(p.Value));

    private async Task<int> DeltaRowsAsync(SessionKey session)
    {
        await using var db = DataServiceCollectionExtensions.CreateContext(_database);
        return await db.SessionStateDeltas.CountAsync(d => d.TenantId == session.TenantId && d.SessionId == session.SessionId);
    }

    private IReadOnlyList<string> StoredObjects(SessionKey session)
    {
        var folder = Path.Combine(_directory.Path, "state", "sessions", session.TenantId, session.SessionId);
        return Directory.Exists(folder) ? [.. Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories)] : [];
    }

    [Fact]
    public async Task A_session_that_never_stored_state_loads_empty()
    {
        Assert.True((await NewStore().LoadAsync(Session)).IsEmpty);
        Assert.True((await NewStore().LoadAsync(new SessionKey("tn1", "no-such-session"))).IsEmpty);
    }

    [Fact]
    public async Task Appended_changes_load_back_in_the_order_they_were_made()
    {
        var token = await HandToNewOwnerAsync(Session);
        var store = NewStore();

        await store.AppendAsync(Session, token, Set("creds", "v1"));
        await store.AppendAsync(Session, token, Set("key-1", "a"));
        await store.AppendAsync(Session, token, Set("creds", "v2"));
        await store.AppendAsync(Session, token, Remove("key-1"));

        Assert.Equal(new Dictionary<string, string> { ["creds"] = "v2" }, await LoadedAsync(Session));
    }

    [Fact]
    public async Task Compaction_keeps_the_state_in_one_snapshot_object_and_fewer_rows()
    {
        var token = await HandToNewOwnerAsync(Session);
        var store = NewStore();
        var expected = new Dictionary<string, string>();
        for (var i = 0; i < 3 * DatabaseSessionStateStore.CompactAfter; i++)
        {
            var key = $"key-{i % 10}";
            if (i % 7 == 6)
            {
                await store.AppendAsync(Session, token, Remove(key));
                expected.Remove(key);
            }
            else
            {
                await store.AppendAsync(Session, token, Set(key, $"value-{i}"));
                expected[key] = $"value-{i}";
            }
        }

        // Compaction runs beside the writes. The state is loaded as a new owner loads it: once the
        // writer has let go, its compactions done (a load racing the owner's own compaction may
        // read a snapshot name whose object that compaction then replaces and deletes).
        await store.DisposeAsync();
        Assert.Single(StoredObjects(Session));
        Assert.True(await DeltaRowsAsync(Session) < DatabaseSessionStateStore.CompactAfter);
        Assert.Equal(expected, await LoadedAsync(Session));

        await NewStore().AppendAsync(Session, token, Set("after", "snapshot"));
        expected["after"] = "snapshot";
        Assert.Equal(expected, await LoadedAsync(Session));
    }

    [Fact]
    public async Task An_older_owners_append_after_a_newer_owner_claimed_is_refused_and_changes_nothing()
    {
        var older = await HandToNewOwnerAsync(Session);
        var olderStore = NewStore();
        await olderStore.AppendAsync(Session, older, Set("creds", "older"));
        var newer = await HandToNewOwnerAsync(Session);
        await NewStore().AppendAsync(Session, newer, Set("creds", "newer"));

        await Assert.ThrowsAsync<FencedOutException>(() => olderStore.AppendAsync(Session, older, Set("creds", "stale")));

        Assert.Equal(new Dictionary<string, string> { ["creds"] = "newer" }, await LoadedAsync(Session));
    }

    [Fact]
    public async Task Appends_of_an_older_and_a_newer_owner_in_parallel_keep_only_the_newer_owners()
    {
        var older = await HandToNewOwnerAsync(Session);
        var olderStore = NewStore();
        await olderStore.AppendAsync(Session, older, Set("from-older", "before"));
        var newer = await HandToNewOwnerAsync(Session);
        var newerStore = NewStore();

        var writes = Enumerable.Range(0, 20).Select(i => i % 2 == 0
            ? newerStore.AppendAsync(Session, newer, Set($"newer-{i}", "x"))
            : olderStore.AppendAsync(Session, older, Set($"older-{i}", "x"))).ToList();
        await Task.WhenAll(writes.Select(w => w.ContinueWith(_ => { }, TaskScheduler.Default)));

        Assert.All(writes.Where((_, i) => i % 2 == 0), w => Assert.True(w.IsCompletedSuccessfully));
        Assert.All(writes.Where((_, i) => i % 2 == 1), w => Assert.IsType<FencedOutException>(w.Exception!.InnerException));
        var loaded = await LoadedAsync(Session);
        Assert.Equal(Enumerable.Range(0, 10).Select(i => $"newer-{2 * i}").Append("from-older").Order(), loaded.Keys.Order());
    }

    [Fact]
    public async Task A_wipe_forgets_the_state_with_its_snapshot_and_wiping_again_is_not_an_error()
    {
        var token = await HandToNewOwnerAsync(Session);
        var store = NewStore();
        for (var i = 0; i < DatabaseSessionStateStore.CompactAfter + 1; i++)
        {
            await store.AppendAsync(Session, token, Set($"key-{i}", "x"));
        }
        await Poll.UntilAsync(() => StoredObjects(Session).Count == 1);

        await store.WipeAsync(Session, token);

        Assert.Empty(await LoadedAsync(Session));
        Assert.Equal(0, await DeltaRowsAsync(Session));
        Assert.Empty(StoredObjects(Session));
        await store.WipeAsync(Session, token);
        Assert.Empty(await LoadedAsync(Session));
    }

    [Fact]
    public async Task An_older_owners_wipe_is_refused_and_the_newer_owners_state_stays()
    {
        var older = await HandToNewOwnerAsync(Session);
        var newer = await HandToNewOwnerAsync(Session);
        await NewStore().AppendAsync(Session, newer, Set("creds", "newer"));

        await Assert.ThrowsAsync<FencedOutException>(() => NewStore().WipeAsync(Session, older));

        Assert.Equal(new Dictionary<string, string> { ["creds"] = "newer" }, await LoadedAsync(Session));
    }

    [Fact]
    public async Task After_a_wipe_an_older_owners_append_is_refused_and_a_newer_owner_stores_again()
    {
        var older = await HandToNewOwnerAsync(Session);
        var olderStore = NewStore();
        await olderStore.AppendAsync(Session, older, Set("creds", "linked"));
        var wiper = await HandToNewOwnerAsync(Session);
        await NewStore().WipeAsync(Session, wiper);

        // The older owner wakes up and flushes what it holds: the wiped credentials stay wiped.
        await Assert.ThrowsAsync<FencedOutException>(() => olderStore.AppendAsync(Session, older, Set("creds", "linked")));
        Assert.Empty(await LoadedAsync(Session));

        var next = await HandToNewOwnerAsync(Session);
        await NewStore().AppendAsync(Session, next, Set("creds", "fresh"));
        Assert.Equal(new Dictionary<string, string> { ["creds"] = "fresh" }, await LoadedAsync(Session));
    }

    [Fact]
    public async Task A_deleted_sessions_writer_is_refused()
    {
        var token = await HandToNewOwnerAsync(Session);
        await using (var db = DataServiceCollectionExtensions.CreateContext(_database))
        {
            await db.Sessions.Where(s => s.TenantId == Session.TenantId && s.Id == Session.SessionId).ExecuteDeleteAsync();
        }

        await Assert.ThrowsAsync<FencedOutException>(() => NewStore().AppendAsync(Session, token, Set("creds", "orphan")));
    }

    [Fact]
    public async Task Many_sessions_writing_at_once_each_load_exactly_their_own_changes()
    {
        var sessions = Enumerable.Range(0, 40).Select(i => new SessionKey("tn1", $"busy-{i:D2}")).ToList();
        foreach (var session in sessions)
        {
            await SessionDatabase.AddAsync(_database, session);
        }
        var tokens = new Dictionary<SessionKey, long>();
        foreach (var session in sessions)
        {
            tokens[session] = await HandToNewOwnerAsync(session);
        }
        var store = NewStore();

        // Each session writes its changes one after another, as a session's writer does; the
        // sessions write side by side, so their deltas share commits.
        await Task.WhenAll(sessions.Select(async session =>
        {
            for (var i = 0; i < 10; i++)
            {
                await store.AppendAsync(session, tokens[session], Set("counter", $"{session.SessionId}-{i}"));
            }
        }));

        foreach (var session in sessions)
        {
            Assert.Equal(new Dictionary<string, string> { ["counter"] = $"{session.SessionId}-9" }, await LoadedAsync(session));
        }
    }

    [Fact]
    public async Task Stored_state_is_sealed_and_bound_to_its_session()
    {
        const string Secret = "noise-private-key-material";
        var token = await HandToNewOwnerAsync(Session);
        var store = NewStore();
        for (var i = 0; i < DatabaseSessionStateStore.CompactAfter; i++)
        {
            await store.AppendAsync(Session, token, Set($"key-{i}", Secret));
        }
        await Poll.UntilAsync(async () => StoredObjects(Session).Count == 1 && await DeltaRowsAsync(Session) == 0);
        await store.AppendAsync(Session, token, Set("last", Secret));

        await using var db = DataServiceCollectionExtensions.CreateContext(_database);
        var rows = await db.SessionStateDeltas.Where(d => d.TenantId == Session.TenantId && d.SessionId == Session.SessionId).ToListAsync();
        Assert.NotEmpty(rows);
        var secret = Encoding.UTF8.GetBytes(Secret);
        Assert.All(rows, row => Assert.Equal(-1, row.Data.AsSpan().IndexOf(secret)));
        Assert.Equal(-1, File.ReadAllBytes(StoredObjects(Session).Single()).AsSpan().IndexOf(secret));

        // A delta moved to another session's log does not decrypt there.
        var otherToken = await HandToNewOwnerAsync(Other);
        await NewStore().AppendAsync(Other, otherToken, Set("creds", "other"));
        var moved = rows[^1].Id;
        await db.SessionStateDeltas.Where(d => d.Id == moved).ExecuteUpdateAsync(set => set.SetProperty(d => d.SessionId, Other.SessionId));
        await Assert.ThrowsAsync<StateDecryptionException>(() => NewStore().LoadAsync(Other));
    }
}

public sealed class SqliteSessionStateStoreTests : SessionStateStoreConformanceTests
{
    protected override Task<DatabaseOptions> CreateDatabaseAsync(string directory, SessionKey[] sessions) =>
        SessionDatabase.CreateSqliteAsync(directory, sessions);
}

public sealed class PostgresSessionStateStoreTests : SessionStateStoreConformanceTests
{
    protected override async Task<DatabaseOptions> CreateDatabaseAsync(string directory, SessionKey[] sessions) =>
        DatabaseOptions.Postgres(await SessionDatabase.CreatePostgresAsync(sessions));
}
