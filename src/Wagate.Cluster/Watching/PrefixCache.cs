namespace Wagate.Cluster.Watching;

public static class PrefixCache
{
    /// <summary>Reads the prefix, then follows it.</summary>
    /// <param name="read">Turns a stored value into what the cache holds.</param>
    public static async Task<PrefixCache<T>> StartAsync<T>(ICoordinator coordinator, string prefix, Func<KeyValue, T> read, CancellationToken cancellationToken = default)
        where T : class
    {
        var cache = new PrefixCache<T>(read);
        await cache.StartAsync(coordinator, prefix, cancellationToken);
        return cache;
    }
}

/// <summary>Every key under a prefix, held in memory and kept current: read once, then followed
/// by a watch (which resumes after a break and resyncs after compaction). Readers never wait on
/// the store; they see the state as of <see cref="Revision"/>.</summary>
public sealed class PrefixCache<T> : IAsyncDisposable where T : class
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, T> _items = new(StringComparer.Ordinal);
    private readonly Func<KeyValue, T> _read;
    private readonly CancellationTokenSource _stop = new();
    private Task _following = Task.CompletedTask;
    private long _revision;

    internal PrefixCache(Func<KeyValue, T> read) => _read = read;

    /// <summary>Raised after every change, on the watch's thread; handlers must be quick.</summary>
    public event Action? Changed;

    public long Revision => Interlocked.Read(ref _revision);

    public IReadOnlyDictionary<string, T> Items
    {
        get
        {
            lock (_gate)
            {
                return new Dictionary<string, T>(_items, StringComparer.Ordinal);
            }
        }
    }

    public T? Find(string key)
    {
        lock (_gate)
        {
            return _items.GetValueOrDefault(key);
        }
    }

    internal async Task StartAsync(ICoordinator coordinator, string prefix, CancellationToken cancellationToken)
    {
        var snapshot = await coordinator.GetPrefixAsync(prefix, cancellationToken);
        Replace(snapshot.Items, snapshot.Revision);
        _following = Task.Run(() => FollowAsync(coordinator, prefix, snapshot.Revision), CancellationToken.None);
    }

    private async Task FollowAsync(ICoordinator coordinator, string prefix, long revision)
    {
        try
        {
            await foreach (var change in coordinator.WatchPrefixAsync(prefix, revision, _stop.Token))
            {
                switch (change)
                {
                    case WatchEvent.Put put:
                        var item = _read(put.Item);
                        Apply(items => items[put.Item.Key] = item, change.Revision);
                        break;
                    case WatchEvent.Deleted deleted:
                        Apply(items => items.Remove(deleted.Key), change.Revision);
                        break;
                    case WatchEvent.Resync resync:
                        Replace(resync.Items, resync.Revision);
                        break;
                }
            }
        }
        catch (Exception) when (_stop.IsCancellationRequested)
        {
            // Disposed. A watch cut by cancellation may end with the transport's error (an aborted
            // HTTP/2 stream) rather than OperationCanceledException.
        }
    }

    private void Replace(IReadOnlyList<KeyValue> items, long revision)
    {
        var read = items.Select(item => (item.Key, Value: _read(item))).ToList();
        Apply(current =>
        {
            current.Clear();
            foreach (var (key, value) in read)
            {
                current[key] = value;
            }
        }, revision);
    }

    private void Apply(Action<Dictionary<string, T>> change, long revision)
    {
        lock (_gate)
        {
            change(_items);
            Interlocked.Exchange(ref _revision, revision);
        }
        Changed?.Invoke();
    }

    public async ValueTask DisposeAsync()
    {
        if (_stop.IsCancellationRequested)
        {
            return;
        }
        await _stop.CancelAsync();
        await _following;
        _stop.Dispose();
    }
}
