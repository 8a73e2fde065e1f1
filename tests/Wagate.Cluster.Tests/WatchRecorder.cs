using Wagate.Testing;

namespace Wagate.Cluster.Tests;

/// <summary>Reads a watch in the background, as a placement controller would, and keeps what it saw.</summary>
internal sealed class WatchRecorder : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly Lock _gate = new();
    private readonly List<WatchEvent> _seen = [];
    private readonly Task _reading;

    public WatchRecorder(ICoordinator coordinator, string prefix, long startRevision) =>
        _reading = Task.Run(() => ReadAsync(coordinator.WatchPrefixAsync(prefix, startRevision, _stop.Token)));

    public IReadOnlyList<WatchEvent> Seen
    {
        get
        {
            lock (_gate)
            {
                return [.. _seen];
            }
        }
    }

    /// <summary>What the watch delivered once it reached <paramref name="revision"/> (or the guard ran
    /// out). A watch that failed rethrows its failure here.</summary>
    public async Task<IReadOnlyList<WatchEvent>> UntilAsync(long revision)
    {
        await Poll.UntilAsync(() => Seen.Any(change => change.Revision >= revision) || _reading.IsCompleted);
        if (_reading.IsFaulted)
        {
            await _reading;
        }
        return Seen;
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _reading;
        _stop.Dispose();
    }

    private async Task ReadAsync(IAsyncEnumerable<WatchEvent> watch)
    {
        try
        {
            await foreach (var change in watch)
            {
                lock (_gate)
                {
                    _seen.Add(change);
                }
            }
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
            // Disposed: the watch ends the way the port says it ends.
        }
    }
}
