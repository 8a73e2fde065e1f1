using Xunit;

namespace Wagate.Cluster.Tests;

/// <summary>The conformance suite on the single node's store, plus what only it has: a history and
/// watch buffers bounded by count.</summary>
public sealed class InMemoryCoordinatorTests : CoordinatorConformanceTests
{
    private readonly InMemoryCoordinator _store = new();

    protected override ICoordinator Coordinator => _store;

    // Every "process" of a single node runs in this one and shares its store.
    protected override ICoordinator Peer => _store;

    protected override IDisposable InterruptWatchStreams() => _store.SimulateWatchOutage();

    [Fact]
    public async Task A_store_started_after_a_revision_creates_keys_above_it()
    {
        const long start = 5L << 40;
        var store = new InMemoryCoordinator(new InMemoryCoordinatorOptions { StartRevision = start });
        await using var lease = await store.GrantLeaseAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(start + 1, await store.TryCreateAsync("sessions/owner/a", Bytes("w1"), lease.Id));

        await using var changes = store.WatchPrefixAsync("sessions/", 0).GetAsyncEnumerator();
        Assert.True(await changes.MoveNextAsync());
        Assert.Equal(["sessions/owner/a"], Assert.IsType<WatchEvent.Resync>(changes.Current).Items.Select(item => item.Key));
    }

    [Fact]
    public async Task A_watch_further_behind_than_the_kept_history_resyncs()
    {
        var store = new InMemoryCoordinator(new InMemoryCoordinatorOptions { HistoryLimit = 3 });
        var start = await store.PutAsync("placement/a", Bytes("w1"));
        foreach (var key in new[] { "b", "c", "d", "e" })
        {
            await store.PutAsync($"placement/{key}", Bytes("w1"));
        }

        await using var changes = store.WatchPrefixAsync("placement/", start).GetAsyncEnumerator();

        Assert.True(await changes.MoveNextAsync());
        var resync = Assert.IsType<WatchEvent.Resync>(changes.Current);
        Assert.Equal(["placement/a", "placement/b", "placement/c", "placement/d", "placement/e"], resync.Items.Select(item => item.Key));
        var next = await store.PutAsync("placement/f", Bytes("w1"));
        Assert.True(await changes.MoveNextAsync());
        Assert.Equal(next, Assert.IsType<WatchEvent.Put>(changes.Current).Revision);
    }

    [Fact]
    public async Task A_stalled_watch_whose_buffer_overflowed_resumes_from_history_without_gaps()
    {
        var store = new InMemoryCoordinator(new InMemoryCoordinatorOptions { WatchBufferLimit = 2 });
        var start = await store.PutAsync("placement/0", Bytes("w1"));
        await using var changes = store.WatchPrefixAsync("placement/", start).GetAsyncEnumerator();
        var first = await store.PutAsync("placement/1", Bytes("w1"));
        Assert.True(await changes.MoveNextAsync());
        Assert.Equal(first, changes.Current.Revision);

        var written = new List<long>();
        for (var i = 2; i < 10; i++)
        {
            written.Add(await store.PutAsync($"placement/{i}", Bytes("w1")));
        }

        var read = new List<long>();
        while (read.Count < written.Count && await changes.MoveNextAsync())
        {
            read.Add(Assert.IsType<WatchEvent.Put>(changes.Current).Revision);
        }
        Assert.Equal(written, read);
    }
}
