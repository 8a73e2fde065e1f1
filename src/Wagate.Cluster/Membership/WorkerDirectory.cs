namespace Wagate.Cluster.Membership;

/// <summary>The live workers as a gateway or the placement controller sees them: read once, then
/// kept current by a watch (which resumes after a break and resyncs after compaction). A worker
/// leaves the directory when its key vanishes, by a graceful leave or by lease expiry.</summary>
public sealed class WorkerDirectory : IAsyncDisposable
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, WorkerRecord> _workers = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _stop = new();
    private Task _watching = Task.CompletedTask;
    private long _revision;

    /// <summary>Raised after every change, on the watch's thread; handlers must be quick.</summary>
    public event Action? Changed;

    public IReadOnlyList<WorkerRecord> Workers
    {
        get
        {
            lock (_gate)
            {
                return [.. _workers.Values.OrderBy(w => w.Name, StringComparer.Ordinal)];
            }
        }
    }

    /// <summary>The revision the directory is current with.</summary>
    public long Revision => Interlocked.Read(ref _revision);

    public WorkerRecord? Find(string workerName)
    {
        lock (_gate)
        {
            return _workers.GetValueOrDefault(workerName);
        }
    }

    public static async Task<WorkerDirectory> StartAsync(ICoordinator coordinator, CancellationToken cancellationToken = default)
    {
        var directory = new WorkerDirectory();
        var snapshot = await coordinator.GetPrefixAsync(WorkerRecord.Prefix, cancellationToken);
        directory.Replace(snapshot.Items, snapshot.Revision);
        directory._watching = Task.Run(() => directory.FollowAsync(coordinator, snapshot.Revision), CancellationToken.None);
        return directory;
    }

    private async Task FollowAsync(ICoordinator coordinator, long revision)
    {
        try
        {
            await foreach (var change in coordinator.WatchPrefixAsync(WorkerRecord.Prefix, revision, _stop.Token))
            {
                switch (change)
                {
                    case WatchEvent.Put put:
                        var record = WorkerRecord.FromBytes(put.Item.Value);
                        Apply(w => w[record.Name] = record, change.Revision);
                        break;
                    case WatchEvent.Deleted deleted:
                        Apply(w => w.Remove(NameOf(deleted.Key)), change.Revision);
                        break;
                    case WatchEvent.Resync resync:
                        Replace(resync.Items, resync.Revision);
                        break;
                }
            }
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
            // Disposed.
        }
    }

    private void Replace(IReadOnlyList<KeyValue> items, long revision) => Apply(workers =>
    {
        workers.Clear();
        foreach (var item in items)
        {
            var record = WorkerRecord.FromBytes(item.Value);
            workers[record.Name] = record;
        }
    }, revision);

    private void Apply(Action<Dictionary<string, WorkerRecord>> change, long revision)
    {
        lock (_gate)
        {
            change(_workers);
            Interlocked.Exchange(ref _revision, revision);
        }
        Changed?.Invoke();
    }

    private static string NameOf(string key) => "workers/" + key[WorkerRecord.Prefix.Length..];

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _watching;
        _stop.Dispose();
    }
}
