using System.Text;
using Wagate.Testing;
using Xunit;

namespace Wagate.Cluster.Tests;

/// <summary>One suite for every coordinator: session ownership, fencing and failover are written once
/// against the port, so the single node and etcd must agree on leases, create-if-absent, conditional
/// commits and watches, down to revisions.</summary>
public abstract class CoordinatorConformanceTests : IAsyncLifetime
{
    /// <summary>etcd grants no shorter lease in practice; every store is tested with the same one.</summary>
    protected static readonly TimeSpan LeaseTtl = TimeSpan.FromSeconds(2);

    private readonly List<ILease> _leases = [];

    /// <summary>The coordinator under test.</summary>
    protected abstract ICoordinator Coordinator { get; }

    /// <summary>Another process's coordinator on the same store and keys (a second worker), which
    /// <see cref="InterruptWatchStreams"/> leaves alone.</summary>
    protected abstract ICoordinator Peer { get; }

    /// <summary>Breaks every open watch stream of <see cref="Coordinator"/> and keeps new ones from
    /// opening until the result is disposed, as an outage between it and the store would.</summary>
    protected abstract IDisposable InterruptWatchStreams();

    public virtual Task InitializeAsync() => Task.CompletedTask;

    public virtual async Task DisposeAsync()
    {
        foreach (var lease in _leases)
        {
            await lease.DisposeAsync();
        }
    }

    [Fact]
    public async Task A_put_key_reads_back_with_its_revisions()
    {
        var revision = await Coordinator.PutAsync("config/a", Bytes("one"));

        var stored = await Coordinator.GetAsync("config/a");

        Assert.NotNull(stored);
        Assert.Equal(("config/a", "one", revision, revision, 0L),
            (stored.Key, Text(stored.Value), stored.CreateRevision, stored.ModRevision, stored.LeaseId));
        Assert.Null(await Coordinator.GetAsync("config/never-written"));
    }

    [Fact]
    public async Task Rewriting_a_key_keeps_its_create_revision_and_moves_its_mod_revision()
    {
        var created = await Coordinator.PutAsync("config/b", Bytes("one"));

        var rewritten = await Peer.PutAsync("config/b", Bytes("two"));

        var stored = await Coordinator.GetAsync("config/b");
        Assert.True(rewritten > created);
        Assert.NotNull(stored);
        Assert.Equal(("two", created, rewritten), (Text(stored.Value), stored.CreateRevision, stored.ModRevision));
    }

    [Fact]
    public async Task Delete_removes_the_key_and_says_whether_there_was_one()
    {
        await Coordinator.PutAsync("config/c", Bytes("one"));

        Assert.True(await Coordinator.DeleteAsync("config/c"));

        Assert.Null(await Coordinator.GetAsync("config/c"));
        Assert.False(await Coordinator.DeleteAsync("config/c"));
    }

    [Fact]
    public async Task GetPrefix_returns_only_the_keys_under_the_prefix_in_key_order_and_the_revision_read_at()
    {
        await Coordinator.PutAsync("workers/b", Bytes("2"));
        await Coordinator.PutAsync("workers/a", Bytes("1"));
        await Coordinator.PutAsync("workersx", Bytes("not under workers/"));
        var last = await Coordinator.PutAsync("placement/a", Bytes("elsewhere"));

        var snapshot = await Peer.GetPrefixAsync("workers/");

        Assert.Equal(["workers/a=1", "workers/b=2"], snapshot.Items.Select(item => $"{item.Key}={Text(item.Value)}"));
        // Read at or after the last write (the etcd server is shared with tests running beside
        // this one, whose writes move its revision too).
        Assert.InRange(snapshot.Revision, last, long.MaxValue);
        Assert.Empty((await Peer.GetPrefixAsync("nothing/")).Items);
    }

    [Fact]
    public async Task A_prefix_larger_than_one_grpc_message_reads_whole_in_key_order_at_one_revision()
    {
        // 2,600 keys of 2 KB: over 5 MB, more than gRPC's 4 MB message limit and several pages.
        var value = new byte[2048];
        var keys = Enumerable.Range(0, 2600).Select(i => $"sessions/{i:D5}").ToList();
        foreach (var batch in keys.Chunk(100))
        {
            await Task.WhenAll(batch.Select(key => Coordinator.PutAsync(key, value)));
        }
        var last = await Coordinator.PutAsync("sessions/~last", value);

        var read = Peer.GetPrefixAsync("sessions/");
        await Coordinator.PutAsync("sessions/~after", value); // written after the read began: not in it, or in it whole
        var snapshot = await read;

        var expected = keys.Append("sessions/~last").ToList();
        if (snapshot.Revision > last)
        {
            expected.Add("sessions/~after");
        }
        Assert.Equal(expected.Order(StringComparer.Ordinal), snapshot.Items.Select(item => item.Key));
        Assert.All(snapshot.Items, item => Assert.Equal(2048, item.Value.Length));
    }

    [Fact]
    public async Task Keys_bound_to_a_lease_vanish_and_Lost_is_cancelled_once_keep_alive_stops_for_a_ttl()
    {
        var lease = await GrantAsync(Coordinator);
        await Coordinator.PutAsync("workers/w1", Bytes("w1"), lease.Id);
        Assert.Equal(lease.Id, (await Peer.GetAsync("workers/w1"))?.LeaseId);

        lease.StopKeepAlive();

        await Poll.UntilAsync(() => lease.Lost.IsCancellationRequested);
        Assert.True(lease.Lost.IsCancellationRequested);
        await PollUntilGoneAsync("workers/w1");
        Assert.Null(await Peer.GetAsync("workers/w1"));
    }

    [Fact]
    public async Task A_lease_kept_alive_outlives_its_ttl()
    {
        var kept = await GrantAsync(Coordinator);
        await Coordinator.PutAsync("workers/kept", Bytes("kept"), kept.Id);
        var stopped = await GrantAsync(Coordinator);
        await Coordinator.PutAsync("workers/stopped", Bytes("stopped"), stopped.Id);

        // Granted after the kept lease: without its keep-alive the kept lease would have expired first.
        stopped.StopKeepAlive();

        await PollUntilGoneAsync("workers/stopped");
        Assert.Null(await Peer.GetAsync("workers/stopped"));
        Assert.NotNull(await Peer.GetAsync("workers/kept"));
        Assert.False(kept.Lost.IsCancellationRequested);
    }

    [Fact]
    public async Task Revoking_a_lease_removes_its_keys_at_once_and_cancels_Lost()
    {
        var lease = await GrantAsync(Coordinator);
        await Coordinator.PutAsync("workers/w2", Bytes("w2"), lease.Id);
        await Coordinator.PutAsync("owners/s2", Bytes("w2"), lease.Id);

        await lease.DisposeAsync();

        Assert.True(lease.Lost.IsCancellationRequested);
        Assert.Null(await Peer.GetAsync("workers/w2"));
        Assert.Null(await Peer.GetAsync("owners/s2"));
    }

    [Fact]
    public async Task A_write_bound_to_a_lease_that_is_gone_fails_and_writes_nothing()
    {
        var lease = await GrantAsync(Coordinator);
        await lease.DisposeAsync();

        await Assert.ThrowsAsync<LeaseNotFoundException>(() => Coordinator.PutAsync("workers/w3", Bytes("w3"), lease.Id));
        await Assert.ThrowsAsync<LeaseNotFoundException>(() => Coordinator.TryCreateAsync("owners/s3", Bytes("w3"), lease.Id));

        Assert.Null(await Peer.GetAsync("workers/w3"));
        Assert.Null(await Peer.GetAsync("owners/s3"));
    }

    [Fact]
    public async Task Of_20_parallel_claims_of_one_key_exactly_one_wins_and_its_token_is_the_create_revision()
    {
        var claimers = await Task.WhenAll(Enumerable.Range(0, 20).Select(i => GrantAsync(Side(i))));

        var tokens = await Task.WhenAll(claimers.Select((lease, i) =>
            Side(i).TryCreateAsync("owners/contended", Bytes($"worker-{i}"), lease.Id)));

        var winner = Assert.Single(Enumerable.Range(0, 20), i => tokens[i] is not null);
        var stored = await Peer.GetAsync("owners/contended");
        Assert.NotNull(stored);
        Assert.Equal(($"worker-{winner}", tokens[winner], claimers[winner].Id),
            (Text(stored.Value), (long?)stored.CreateRevision, stored.LeaseId));
    }

    [Fact]
    public async Task Keys_created_at_once_are_all_created_with_one_token_or_none_is()
    {
        var lease = await GrantAsync(Coordinator);
        KeyWrite Owner(string session) => new($"owners/{session}", Bytes("w1"), lease.Id);

        var token = await Coordinator.TryCreateAllAsync([Owner("b1"), Owner("b2"), Owner("b3")]);
        var refused = await Peer.TryCreateAllAsync([Owner("b4"), Owner("b2")]);

        Assert.NotNull(token);
        foreach (var session in new[] { "b1", "b2", "b3" })
        {
            var stored = await Peer.GetAsync($"owners/{session}");
            Assert.Equal(("w1", token, lease.Id), (Text(stored!.Value), (long?)stored.CreateRevision, stored.LeaseId));
        }
        Assert.Null(refused); // b2 existed: b4 was not created either
        Assert.Null(await Peer.GetAsync("owners/b4"));
        await Assert.ThrowsAsync<ArgumentException>(() => Coordinator.TryCreateAllAsync([Owner("b5"), Owner("b5")]));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() =>
            Coordinator.TryCreateAllAsync([.. Enumerable.Range(0, ICoordinator.MaxKeysPerCreate + 1).Select(i => Owner($"many-{i}"))]));
        await lease.DisposeAsync();
        await Assert.ThrowsAsync<LeaseNotFoundException>(() => Coordinator.TryCreateAllAsync([Owner("b6")]));
        Assert.Null(await Peer.GetAsync("owners/b6"));
    }

    [Fact]
    public async Task A_key_created_with_no_lease_is_created_once_and_outlives_every_lease()
    {
        var lease = await GrantAsync(Coordinator);

        var created = await Coordinator.TryCreateAsync("sessions/declared", Bytes("first"), leaseId: 0);
        var again = await Peer.TryCreateAsync("sessions/declared", Bytes("second"), leaseId: 0);
        await lease.DisposeAsync();

        Assert.NotNull(created);
        Assert.Null(again);
        var stored = await Peer.GetAsync("sessions/declared");
        Assert.NotNull(stored);
        Assert.Equal(("first", created, 0L), (Text(stored.Value), (long?)stored.CreateRevision, stored.LeaseId));
    }

    [Fact]
    public async Task A_token_from_before_the_key_was_claimed_again_commits_nothing()
    {
        var first = await GrantAsync(Coordinator);
        var firstToken = await Coordinator.TryCreateAsync("owners/s1", Bytes("first"), first.Id);
        Assert.NotNull(firstToken);
        Assert.True(await Coordinator.CommitIfOwnerAsync("owners/s1", firstToken.Value, [new KeyWrite("state/s1", Bytes("v1"))]));

        // The first owner is presumed dead; another worker takes the session over.
        await Peer.DeleteAsync("owners/s1");
        var second = await GrantAsync(Peer);
        var secondToken = await Peer.TryCreateAsync("owners/s1", Bytes("second"), second.Id);

        var staleCommitted = await Coordinator.CommitIfOwnerAsync("owners/s1", firstToken.Value,
            [new KeyWrite("state/s1", Bytes("stale")), new KeyWrite("status/s1", Bytes("stale"))]);

        Assert.NotNull(secondToken);
        Assert.True(secondToken > firstToken);
        Assert.False(staleCommitted);
        Assert.Equal("v1", Text((await Peer.GetAsync("state/s1"))?.Value));
        Assert.Null(await Peer.GetAsync("status/s1"));
        Assert.True(await Peer.CommitIfOwnerAsync("owners/s1", secondToken.Value, [new KeyWrite("state/s1", Bytes("v2"))]));
        Assert.Equal("v2", Text((await Coordinator.GetAsync("state/s1"))?.Value));
    }

    [Fact]
    public async Task An_owner_whose_lease_ended_commits_nothing()
    {
        var lease = await GrantAsync(Coordinator);
        var token = await Coordinator.TryCreateAsync("owners/s4", Bytes("w4"), lease.Id);
        Assert.NotNull(token);

        await lease.DisposeAsync();

        Assert.False(await Coordinator.CommitIfOwnerAsync("owners/s4", token.Value, [new KeyWrite("state/s4", Bytes("late"))]));
        Assert.Null(await Peer.GetAsync("state/s4"));
    }

    [Fact]
    public async Task CommitIfOwner_applies_every_write_at_one_revision()
    {
        var lease = await GrantAsync(Coordinator);
        var token = (await Coordinator.TryCreateAsync("owners/s5", Bytes("w5"), lease.Id))!.Value;
        await Coordinator.PutAsync("state/s5/old", Bytes("old"));

        var committed = await Coordinator.CommitIfOwnerAsync("owners/s5", token, [
            new KeyWrite("state/s5/manifest", Bytes("m1")),
            new KeyWrite("status/s5", Bytes("connected"), lease.Id),
            KeyWrite.Delete("state/s5/old"),
        ]);

        Assert.True(committed);
        var manifest = await Peer.GetAsync("state/s5/manifest");
        var status = await Peer.GetAsync("status/s5");
        Assert.NotNull(manifest);
        Assert.NotNull(status);
        Assert.Equal(manifest.ModRevision, status.ModRevision);
        Assert.Equal(lease.Id, status.LeaseId);
        Assert.Null(await Peer.GetAsync("state/s5/old"));
    }

    [Fact]
    public async Task CommitIfOwner_with_one_write_that_cannot_be_applied_applies_none()
    {
        var lease = await GrantAsync(Coordinator);
        var token = (await Coordinator.TryCreateAsync("owners/s6", Bytes("w6"), lease.Id))!.Value;
        var gone = await GrantAsync(Coordinator);
        await gone.DisposeAsync();

        await Assert.ThrowsAsync<LeaseNotFoundException>(() => Coordinator.CommitIfOwnerAsync("owners/s6", token, [
            new KeyWrite("state/s6", Bytes("written?")),
            new KeyWrite("status/s6", Bytes("bound to a lease that is gone"), gone.Id),
        ]));

        Assert.Null(await Peer.GetAsync("state/s6"));
        Assert.Null(await Peer.GetAsync("status/s6"));
    }

    [Fact]
    public async Task CommitIfOwner_refuses_a_key_written_twice_before_writing()
    {
        var lease = await GrantAsync(Coordinator);
        var token = (await Coordinator.TryCreateAsync("owners/s7", Bytes("w7"), lease.Id))!.Value;

        await Assert.ThrowsAsync<ArgumentException>(() => Coordinator.CommitIfOwnerAsync("owners/s7", token,
            [new KeyWrite("state/s7", Bytes("a")), KeyWrite.Delete("state/s7")]));

        Assert.Null(await Peer.GetAsync("state/s7"));
    }

    [Fact]
    public async Task A_watch_from_a_revision_delivers_every_later_change_under_its_prefix_in_order_exactly_once()
    {
        var start = await Peer.PutAsync("placement/before", Bytes("before the watch's start"));
        var lease = await GrantAsync(Peer);
        var a = await Peer.PutAsync("placement/a", Bytes("w1"), lease.Id);
        await Peer.PutAsync("workers/elsewhere", Bytes("not under placement/"));
        var b = (await Peer.TryCreateAsync("placement/b", Bytes("w2"), lease.Id))!.Value;
        await using var watch = new WatchRecorder(Coordinator, "placement/", start);
        var aMoved = await Peer.PutAsync("placement/a", Bytes("w3"));
        await lease.DisposeAsync(); // placement/b goes with the lease; placement/a is bound to none now
        await Peer.DeleteAsync("placement/before");

        var end = await Peer.PutAsync("placement/end", Bytes("end"));

        var delivered = await watch.UntilAsync(end);
        Assert.Equal([
            "put placement/a", "put placement/b", "put placement/a",
            "deleted placement/b", "deleted placement/before", "put placement/end",
        ], delivered.Select(Describe));
        Assert.Equal([a, b, aMoved, end], delivered.OfType<WatchEvent.Put>().Select(put => put.Revision));
        AssertAscending(delivered);
    }

    [Fact]
    public async Task A_watch_resumes_after_its_connection_breaks_with_no_change_lost_or_repeated()
    {
        var start = (await Peer.GetPrefixAsync("placement/")).Revision;
        await using var watch = new WatchRecorder(Coordinator, "placement/", start);
        var a = await Peer.PutAsync("placement/a", Bytes("w1"));
        await watch.UntilAsync(a);

        long b, c;
        using (InterruptWatchStreams())
        {
            b = await Peer.PutAsync("placement/b", Bytes("w1"));
            c = await Peer.PutAsync("placement/a", Bytes("w2"));
        }
        var d = await Peer.PutAsync("placement/d", Bytes("w2"));

        var delivered = await watch.UntilAsync(d);
        Assert.Equal(["put placement/a", "put placement/b", "put placement/a", "put placement/d"], delivered.Select(Describe));
        Assert.Equal([a, b, c, d], delivered.Select(change => change.Revision));
    }

    [Fact]
    public async Task A_watch_whose_start_revision_was_compacted_resyncs_with_the_current_items_then_continues()
    {
        var start = await Peer.PutAsync("placement/a", Bytes("w1"));
        await Peer.PutAsync("placement/b", Bytes("w1"));
        await Peer.PutAsync("placement/c", Bytes("w1"));
        await Peer.DeleteAsync("placement/a");
        var latest = await Peer.PutAsync("placement/c", Bytes("w2"));
        await Assert.IsAssignableFrom<ICompactable>(Peer).CompactAsync(latest);

        await using var watch = new WatchRecorder(Coordinator, "placement/", start);
        var resynced = await watch.UntilAsync(latest);
        var d = await Peer.PutAsync("placement/d", Bytes("w2"));

        var delivered = await watch.UntilAsync(d);
        var resync = Assert.IsType<WatchEvent.Resync>(Assert.Single(resynced));
        Assert.Equal(["placement/b=w1", "placement/c=w2"], resync.Items.Select(item => $"{item.Key}={Text(item.Value)}"));
        Assert.Equal(["resync [placement/b placement/c]", "put placement/d"], delivered.Select(Describe));
        AssertAscending(delivered);
    }

    /// <summary>A lease recorded for disposal when the test ends.</summary>
    protected async Task<ILease> GrantAsync(ICoordinator coordinator)
    {
        var lease = await coordinator.GrantLeaseAsync(LeaseTtl);
        lock (_leases)
        {
            _leases.Add(lease);
        }
        return lease;
    }

    /// <summary>Calls alternate between the two processes, as claims from several workers would.</summary>
    private ICoordinator Side(int index) => index % 2 == 0 ? Coordinator : Peer;

    private async Task PollUntilGoneAsync(string key) =>
        await Poll.UntilAsync(async () => await Peer.GetAsync(key) is null);

    private static string Describe(WatchEvent change) => change switch
    {
        WatchEvent.Put put => $"put {put.Item.Key}",
        WatchEvent.Deleted deleted => $"deleted {deleted.Key}",
        WatchEvent.Resync resync => $"resync [{string.Join(' ', resync.Items.Select(item => item.Key))}]",
        _ => change.ToString(),
    };

    /// <summary>Events of one revision (a lease's keys, one commit) share it; otherwise each goes up.</summary>
    private static void AssertAscending(IReadOnlyList<WatchEvent> delivered) =>
        Assert.All(delivered.Zip(delivered.Skip(1)), pair => Assert.True(pair.First.Revision <= pair.Second.Revision,
            $"{Describe(pair.First)}@{pair.First.Revision} came before {Describe(pair.Second)}@{pair.Second.Revision}"));

    protected static byte[] Bytes(string text) => Encoding.UTF8.GetBytes(text);

    protected static string? Text(byte[]? bytes) => bytes is null ? null : Encoding.UTF8.GetString(bytes);
}
