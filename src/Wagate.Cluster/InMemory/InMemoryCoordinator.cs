using System.Runtime.CompilerServices;
using System.Threading.Channels;
using Wagate.Cluster.Watching;

namespace Wagate.Cluster;

/// <summary>The coordinator of a single node: the same model as etcd (one revision counter, create and
/// mod revisions, leases, bounded history, watches that resume or resync) in this process's memory,
/// for processes that all run in this one.</summary>
public sealed class InMemoryCoordinator : ICoordinator, ICompactable, IWatchStreams
{
    private readonly Lock _gate = new();
    private readonly SortedDictionary<string, KeyValue> _keys = new(StringComparer.Ordinal);
    private readonly Queue<WatchBatch> _history = new();
    private readonly Dictionary<long, InMemoryLease> _leases = [];
    private readonly List<Subscription> _subscriptions = [];
    private readonly InMemoryCoordinatorOptions _options;
    private readonly TimeProvider _time;
    private long _revision;
    private long _firstRetainedRevision = 1;
    private long _lastLeaseId;
    private bool _watchOutage;

    public InMemoryCoordinator(InMemoryCoordinatorOptions? options = null, TimeProvider? time = null)
    {
        _options = options ?? new InMemoryCoordinatorOptions();
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(_options.HistoryLimit);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(_options.WatchBufferLimit);
        ArgumentOutOfRangeException.ThrowIfNegative(_options.StartRevision);
        _revision = _options.StartRevision;
        // Nothing before the start is known: a watch from there resyncs, as from compacted history.
        _firstRetainedRevision = _options.StartRevision + 1;
        _time = time ?? TimeProvider.System;
    }

    public Task<ILease> GrantLeaseAsync(TimeSpan ttl, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(ttl, TimeSpan.Zero);
        lock (_gate)
        {
            var lease = new InMemoryLease(this, ++_lastLeaseId, ttl, _time);
            _leases.Add(lease.Id, lease);
            return Task.FromResult<ILease>(lease);
        }
    }

    public Task<KeyValue?> GetAsync(string key, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            return Task.FromResult(_keys.TryGetValue(key, out var stored) ? Copy(stored) : null);
        }
    }

    public Task<PrefixSnapshot> GetPrefixAsync(string prefix, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            var items = _keys.Values.Where(stored => stored.Key.StartsWith(prefix, StringComparison.Ordinal)).Select(Copy).ToList();
            return Task.FromResult(new PrefixSnapshot(items, _revision));
        }
    }

    public Task<long> PutAsync(string key, byte[] value, long leaseId = 0, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            return Task.FromResult(Commit([new KeyWrite(key, value, leaseId)]));
        }
    }

    public Task<bool> DeleteAsync(string key, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            var existed = _keys.ContainsKey(key);
            Commit([KeyWrite.Delete(key)]);
            return Task.FromResult(existed);
        }
    }

    public Task<long?> TryCreateAsync(string key, byte[] value, long leaseId, CancellationToken cancellationToken = default)
    {
        CoordinatorArguments.EnsureLease(leaseId);
        lock (_gate)
        {
            return Task.FromResult<long?>(_keys.ContainsKey(key) ? null : Commit([new KeyWrite(key, value, leaseId)]));
        }
    }

    public Task<long?> TryCreateAllAsync(IReadOnlyList<KeyWrite> keys, CancellationToken cancellationToken = default)
    {
        CoordinatorArguments.EnsureCreatable(keys);
        lock (_gate)
        {
            return Task.FromResult<long?>(keys.Any(k => _keys.ContainsKey(k.Key)) ? null : Commit(keys));
        }
    }

    public Task<bool> CommitIfOwnerAsync(
        string ownerKey, long fencingToken, IReadOnlyList<KeyWrite> writes, CancellationToken cancellationToken = default)
    {
        CoordinatorArguments.EnsureFencingToken(fencingToken);
        CoordinatorArguments.EnsureEachKeyOnce(writes);
        lock (_gate)
        {
            if (!_keys.TryGetValue(ownerKey, out var owner) || owner.CreateRevision != fencingToken)
            {
                return Task.FromResult(false);
            }
            Commit(writes);
            return Task.FromResult(true);
        }
    }

    public IAsyncEnumerable<WatchEvent> WatchPrefixAsync(string prefix, long startRevision, CancellationToken cancellationToken = default) =>
        ResumingWatch.RunAsync(this, prefix, startRevision, _time, cancellationToken);

    public Task CompactAsync(long revision, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            ArgumentOutOfRangeException.ThrowIfGreaterThan(revision, _revision);
            while (_history.TryPeek(out var oldest) && oldest.Revision < revision)
            {
                _history.Dequeue();
            }
            _firstRetainedRevision = Math.Max(_firstRetainedRevision, revision);
        }
        return Task.CompletedTask;
    }

    /// <summary>Closes every open watch stream and refuses new ones until the result is disposed, as an
    /// outage between watchers and etcd would: watches must resume on their own afterwards.</summary>
    internal IDisposable SimulateWatchOutage()
    {
        lock (_gate)
        {
            _watchOutage = true;
            foreach (var subscription in _subscriptions)
            {
                subscription.Changes.Writer.TryComplete(new WatchStreamBrokenException("Simulated outage."));
            }
            _subscriptions.Clear();
        }
        return new Outage(this);
    }

    internal void EndLease(InMemoryLease lease)
    {
        lock (_gate)
        {
            if (!_leases.Remove(lease.Id))
            {
                return;
            }
            // etcd deletes a lease's keys in one revision; so do we.
            Commit(_keys.Values.Where(stored => stored.LeaseId == lease.Id).Select(stored => KeyWrite.Delete(stored.Key)).ToList());
        }
        lease.MarkLost();
    }

    async IAsyncEnumerable<WatchBatch> IWatchStreams.OpenAsync(
        string prefix, long after, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var subscription = Subscribe(prefix, after);
        try
        {
            await foreach (var batch in subscription.Changes.Reader.ReadAllAsync(cancellationToken))
            {
                yield return batch;
            }
        }
        finally
        {
            lock (_gate)
            {
                _subscriptions.Remove(subscription);
            }
        }
    }

    bool IWatchStreams.IsBroken(Exception exception) => exception is WatchStreamBrokenException or ChannelClosedException;

    private Subscription Subscribe(string prefix, long after)
    {
        lock (_gate)
        {
            if (_watchOutage)
            {
                throw new WatchStreamBrokenException("Simulated outage.");
            }
            if (after + 1 < _firstRetainedRevision)
            {
                throw new WatchHistoryCompactedException($"History before revision {_firstRetainedRevision} is compacted.");
            }
            // Catching up and joining the live changes under one lock: no revision falls in between.
            var subscription = new Subscription(prefix);
            foreach (var batch in _history.Where(batch => batch.Revision > after))
            {
                subscription.Offer(batch);
            }
            _subscriptions.Add(subscription);
            return subscription;
        }
    }

    /// <summary>Applies the writes at the next revision, all or none, and tells the watchers. Returns
    /// that revision, or the current one when nothing changed (as etcd, which spends no revision then).
    /// Call under the lock.</summary>
    private long Commit(IReadOnlyList<KeyWrite> writes)
    {
        foreach (var write in writes)
        {
            if (write.Value is not null && write.LeaseId != 0 && !_leases.ContainsKey(write.LeaseId))
            {
                throw new LeaseNotFoundException($"Lease {write.LeaseId} does not exist (any more).");
            }
        }
        var revision = _revision + 1;
        var changes = new List<WatchEvent>(writes.Count);
        foreach (var write in writes)
        {
            if (write.Value is null)
            {
                if (_keys.Remove(write.Key))
                {
                    changes.Add(new WatchEvent.Deleted(write.Key, revision));
                }
                continue;
            }
            var created = _keys.TryGetValue(write.Key, out var existing) ? existing.CreateRevision : revision;
            var stored = new KeyValue(write.Key, write.Value.ToArray(), created, revision, write.LeaseId);
            _keys[write.Key] = stored;
            changes.Add(new WatchEvent.Put(stored));
        }
        if (changes.Count == 0)
        {
            return _revision;
        }
        _revision = revision;
        Record(new WatchBatch(changes, revision));
        return revision;
    }

    private void Record(WatchBatch batch)
    {
        _history.Enqueue(batch);
        while (_history.Count > _options.HistoryLimit)
        {
            _firstRetainedRevision = _history.Dequeue().Revision + 1;
        }
        foreach (var subscription in _subscriptions.ToList())
        {
            if (!subscription.Offer(batch) || subscription.Changes.Reader.Count > _options.WatchBufferLimit)
            {
                subscription.Changes.Writer.TryComplete(new WatchStreamBrokenException("The watcher fell too far behind."));
                _subscriptions.Remove(subscription);
            }
        }
    }

    private static KeyValue Copy(KeyValue stored) => stored with { Value = stored.Value.ToArray() };

    /// <summary>One watch stream: the changes under its prefix, queued until the watcher reads them.</summary>
    private sealed class Subscription(string prefix)
    {
        public Channel<WatchBatch> Changes { get; } = Channel.CreateUnbounded<WatchBatch>();

        /// <summary>Queues the part of <paramref name="batch"/> under the prefix; false when the stream is closed.</summary>
        public bool Offer(WatchBatch batch)
        {
            var mine = batch.Events.Where(change => Key(change).StartsWith(prefix, StringComparison.Ordinal)).ToList();
            return mine.Count == 0 || Changes.Writer.TryWrite(new WatchBatch(mine, batch.Revision));
        }

        private static string Key(WatchEvent change) => change switch
        {
            WatchEvent.Put put => put.Item.Key,
            WatchEvent.Deleted deleted => deleted.Key,
            _ => throw new InvalidOperationException($"History holds no {change.GetType().Name}."),
        };
    }

    private sealed class Outage(InMemoryCoordinator store) : IDisposable
    {
        public void Dispose()
        {
            lock (store._gate)
            {
                store._watchOutage = false;
            }
        }
    }
}
