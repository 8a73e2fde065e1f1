using Xunit;

namespace Wagate.Storage.Tests;

/// <summary>One suite for every blob store adapter: the session layer relies on atomic replace,
/// null for a missing object, idempotent deletes and the shared key rules, so a single node (local
/// directory) and a cluster (S3) must behave the same.</summary>
public abstract class BlobStoreConformanceTests : IAsyncLifetime
{
    private readonly List<IBlobStore> _stores = [];
    private IBlobStore _store = null!;

    /// <summary>A new, empty store that shares no objects with any other store it returned.</summary>
    protected abstract Task<IBlobStore> CreateStoreAsync();

    /// <summary>A store whose storage cannot be reached: any I/O it tries fails with something other
    /// than <see cref="ArgumentException"/>.</summary>
    protected abstract IBlobStore CreateUnreachableStore();

    public async Task InitializeAsync() => _store = await NewStoreAsync();

    public virtual Task DisposeAsync()
    {
        foreach (var store in _stores.OfType<IDisposable>())
        {
            store.Dispose();
        }
        return Task.CompletedTask;
    }

    protected async Task<IBlobStore> NewStoreAsync()
    {
        var store = await CreateStoreAsync();
        _stores.Add(store);
        return store;
    }

    public static TheoryData<string, string> InvalidKeyOperations()
    {
        var data = new TheoryData<string, string>();
        foreach (var key in BlobKeyExamples.Invalid)
        {
            foreach (var operation in new[] { "put", "get", "delete" })
            {
                data.Add(operation, key);
            }
        }
        return data;
    }

    [Fact]
    public async Task Put_then_get_returns_the_same_bytes_including_zero_bytes()
    {
        byte[] content = [0, 1, 0, 255, 0, 0, 128, 10, 13, 0];

        await _store.PutAsync("state/binary", content);

        Assert.Equal(content, await _store.GetAsync("state/binary"));
    }

    [Fact]
    public async Task An_empty_object_reads_back_as_empty_not_as_missing()
    {
        await _store.PutAsync("state/empty", ReadOnlyMemory<byte>.Empty);

        var stored = await _store.GetAsync("state/empty");
        Assert.NotNull(stored);
        Assert.Empty(stored);
    }

    [Fact]
    public async Task A_second_put_replaces_the_first_entirely()
    {
        await _store.PutAsync("state/replaced", Bytes(1, length: 100));

        await _store.PutAsync("state/replaced", Bytes(2, length: 10));

        Assert.Equal(Bytes(2, length: 10), await _store.GetAsync("state/replaced"));
    }

    [Fact]
    public async Task Get_of_a_key_never_written_is_null()
    {
        Assert.Null(await _store.GetAsync("state/never-written"));
        Assert.Null(await _store.GetAsync("no/such/folder/either"));
    }

    [Fact]
    public async Task Get_after_delete_is_null()
    {
        await _store.PutAsync("state/deleted", Bytes(3, length: 16));

        await _store.DeleteAsync("state/deleted");

        Assert.Null(await _store.GetAsync("state/deleted"));
    }

    [Fact]
    public async Task Deleting_a_missing_key_succeeds_every_time()
    {
        await _store.DeleteAsync("state/never-written");
        await _store.DeleteAsync("no/such/folder/either");
        await _store.PutAsync("state/twice", Bytes(4, length: 8));
        await _store.DeleteAsync("state/twice");

        await _store.DeleteAsync("state/twice");

        Assert.Null(await _store.GetAsync("state/twice"));
    }

    [Fact]
    public async Task A_key_and_the_keys_nested_under_it_are_separate_objects()
    {
        await _store.PutAsync("sessions/abc/7/000001", Bytes(5, length: 32));
        await _store.PutAsync("sessions/abc/7", Bytes(6, length: 32));
        await _store.PutAsync("sessions/abc/7/000002", Bytes(7, length: 32));

        await _store.DeleteAsync("sessions/abc/7/000002");

        Assert.Equal(Bytes(5, length: 32), await _store.GetAsync("sessions/abc/7/000001"));
        Assert.Equal(Bytes(6, length: 32), await _store.GetAsync("sessions/abc/7"));
        Assert.Null(await _store.GetAsync("sessions/abc/7/000002"));
        Assert.Null(await _store.GetAsync("sessions/abc"));
    }

    [Fact]
    public async Task A_key_of_the_maximum_length_is_stored()
    {
        var key = BlobKeyExamples.Valid.Single(k => k.Length == BlobKeys.MaxLength);

        await _store.PutAsync(key, Bytes(8, length: 8));

        Assert.Equal(Bytes(8, length: 8), await _store.GetAsync(key));
    }

    [Fact]
    public async Task A_5_MiB_object_round_trips()
    {
        var content = new byte[5 * 1024 * 1024];
        new Random(42).NextBytes(content);

        await _store.PutAsync("media/large", content);

        Assert.Equal(content, await _store.GetAsync("media/large"));
    }

    [Fact]
    public async Task Concurrent_puts_of_distinct_keys_all_read_back()
    {
        var keys = Enumerable.Range(0, 20).Select(i => $"concurrent/{i:D2}").ToArray();

        await Task.WhenAll(keys.Select((key, i) => _store.PutAsync(key, Bytes(i, length: 4096))));

        var read = await Task.WhenAll(keys.Select(key => _store.GetAsync(key)));
        Assert.All(Enumerable.Range(0, 20), i => Assert.Equal(Bytes(i, length: 4096), read[i]));
    }

    [Fact]
    public async Task Concurrent_overwrites_of_one_key_leave_exactly_one_written_value_intact()
    {
        // One length for all: s3rver, the S3 server of the tests, rewrites a file in place rather
        // than replacing it, so values of different lengths could leave a longer one's tail there.
        // MinIO and the local store replace whole objects; different lengths would pass on them.
        var values = Enumerable.Range(0, 20).Select(i => Bytes(i + 1, length: 256)).ToArray();

        await Task.WhenAll(values.Select(value => _store.PutAsync("state/contended", value)));

        var stored = await _store.GetAsync("state/contended");
        Assert.NotNull(stored);
        Assert.Single(values, value => value.AsSpan().SequenceEqual(stored));
    }

    [Theory]
    [MemberData(nameof(InvalidKeyOperations))]
    public async Task An_invalid_key_is_refused_before_any_io(string operation, string key)
    {
        var store = CreateUnreachableStore();
        try
        {
            Func<Task> call = operation switch
            {
                "put" => () => store.PutAsync(key, Bytes(9, length: 4)),
                "get" => () => store.GetAsync(key),
                _ => () => store.DeleteAsync(key),
            };

            var refusal = await Assert.ThrowsAsync<ArgumentException>(call);

            Assert.Contains($"'{key}'", refusal.Message, StringComparison.Ordinal);
        }
        finally
        {
            (store as IDisposable)?.Dispose();
        }
    }

    [Fact]
    public async Task Two_stores_do_not_see_each_others_objects()
    {
        var other = await NewStoreAsync();
        await _store.PutAsync("shared/name", Bytes(10, length: 16));

        Assert.Null(await other.GetAsync("shared/name"));
        await other.PutAsync("shared/name", Bytes(11, length: 16));
        await other.DeleteAsync("shared/name");

        Assert.Equal(Bytes(10, length: 16), await _store.GetAsync("shared/name"));
    }

    /// <summary>Content that differs per <paramref name="seed"/> (seeds below 251).</summary>
    protected static byte[] Bytes(int seed, int length) =>
        Enumerable.Range(0, length).Select(i => (byte)((i * 7 + seed * 31) % 251)).ToArray();
}
