using System.Runtime.CompilerServices;

namespace Wagate.Cluster.Watching;

/// <summary>The watch loop both stores share: delivers stream after stream, each opened after the
/// last revision delivered, and turns lost history into one <see cref="WatchEvent.Resync"/>.</summary>
internal static class ResumingWatch
{
    // Jittered, so that the watches of many processes do not hammer a restarted store in lockstep.
    private static readonly ReconnectBackoff Retry = new(TimeSpan.FromMilliseconds(50), TimeSpan.FromSeconds(2));

    private enum StreamState { Batch, Broken, Compacted }

    public static async IAsyncEnumerable<WatchEvent> RunAsync(
        IWatchStreams streams, string prefix, long startRevision, TimeProvider time,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var after = startRevision;
        var failures = 0;
        while (true)
        {
            var state = StreamState.Broken;
            await using (var stream = streams.OpenAsync(prefix, after, cancellationToken).GetAsyncEnumerator(cancellationToken))
            {
                while ((state = await NextAsync(streams, stream, cancellationToken)) == StreamState.Batch)
                {
                    failures = 0;
                    foreach (var change in stream.Current.Events)
                    {
                        yield return change;
                    }
                    after = stream.Current.Revision;
                }
            }
            if (state == StreamState.Compacted && await ReadAgainAsync(streams, prefix, cancellationToken) is { } snapshot)
            {
                yield return new WatchEvent.Resync(snapshot.Items, snapshot.Revision);
                after = snapshot.Revision;
                continue;
            }
            await Task.Delay(Retry.Delay(failures++), time, cancellationToken);
        }
    }

    private static async Task<StreamState> NextAsync(
        IWatchStreams streams, IAsyncEnumerator<WatchBatch> stream, CancellationToken cancellationToken)
    {
        try
        {
            return await stream.MoveNextAsync() ? StreamState.Batch : StreamState.Broken;
        }
        catch (WatchHistoryCompactedException)
        {
            return StreamState.Compacted;
        }
        catch (Exception exception) when (!cancellationToken.IsCancellationRequested && streams.IsBroken(exception))
        {
            return StreamState.Broken;
        }
    }

    private static async Task<PrefixSnapshot?> ReadAgainAsync(IWatchStreams streams, string prefix, CancellationToken cancellationToken)
    {
        try
        {
            return await streams.GetPrefixAsync(prefix, cancellationToken);
        }
        catch (Exception exception) when (!cancellationToken.IsCancellationRequested && streams.IsBroken(exception))
        {
            return null;
        }
    }
}
