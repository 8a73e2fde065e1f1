namespace Wagate.Cluster;

/// <summary>A single-node lease: its holder lives in the store's process, so it is kept alive simply
/// by not being stopped; <see cref="StopKeepAlive"/> lets it run out one TTL later.</summary>
internal sealed class InMemoryLease(InMemoryCoordinator store, long id, TimeSpan ttl, TimeProvider time) : ILease
{
    private readonly CancellationTokenSource _lost = new();
    private readonly Lock _gate = new();
    private ITimer? _expiry;

    public long Id { get; } = id;

    public TimeSpan Ttl { get; } = ttl;

    public CancellationToken Lost => _lost.Token;

    public void StopKeepAlive()
    {
        lock (_gate)
        {
            _expiry ??= time.CreateTimer(_ => store.EndLease(this), null, Ttl, Timeout.InfiniteTimeSpan);
        }
    }

    public ValueTask DisposeAsync()
    {
        store.EndLease(this);
        return ValueTask.CompletedTask;
    }

    /// <summary>Called by the store once, before the lease's keys are deleted.</summary>
    internal void MarkLost()
    {
        lock (_gate)
        {
            _expiry?.Dispose();
        }
        _lost.Cancel();
    }
}
