using System.Runtime.CompilerServices;
using Etcdserverpb;
using Grpc.Core;
using Mvccpb;
using Wagate.Cluster.Watching;

namespace Wagate.Cluster;

/// <summary>One etcd watch per stream, on a gRPC stream of its own, so that breaking one breaks no
/// other watch.</summary>
internal sealed class EtcdWatchStreams(Watch.WatchClient watches, EtcdKeyspace keys, ICoordinator coordinator) : IWatchStreams
{
    public async IAsyncEnumerable<WatchBatch> OpenAsync(
        string prefix, long after, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var (key, rangeEnd) = keys.Prefix(prefix);
        using var stream = watches.Watch(cancellationToken: cancellationToken);
        await stream.RequestStream.WriteAsync(new WatchRequest
        {
            CreateRequest = new WatchCreateRequest
            {
                Key = key,
                RangeEnd = rangeEnd,
                StartRevision = after + 1,
                // Lets a quiet watch move its resume point past revisions under other prefixes, so a
                // compaction of those alone does not force a resync.
                ProgressNotify = true,
            },
        }, cancellationToken);
        while (await stream.ResponseStream.MoveNext(cancellationToken))
        {
            var response = stream.ResponseStream.Current;
            if (response.CompactRevision != 0)
            {
                throw new WatchHistoryCompactedException($"etcd compacted its history up to revision {response.CompactRevision}.");
            }
            if (response.Canceled)
            {
                throw new InvalidOperationException($"etcd cancelled the watch: {response.CancelReason}");
            }
            if (response.Created)
            {
                continue;
            }
            yield return response.Events.Count == 0
                ? new WatchBatch([], response.Header.Revision)
                : new WatchBatch(response.Events.Select(ToWatchEvent).ToList(), response.Events[^1].Kv.ModRevision);
        }
        throw new IOException("etcd ended the watch stream.");
    }

    // The caller's own cancellation never gets here: a cancellation seen here is a call aborted because
    // its connection died.
    public bool IsBroken(Exception exception) =>
        exception is RpcException or IOException or HttpRequestException or OperationCanceledException;

    public Task<PrefixSnapshot> GetPrefixAsync(string prefix, CancellationToken cancellationToken) =>
        coordinator.GetPrefixAsync(prefix, cancellationToken);

    private WatchEvent ToWatchEvent(Event change) => change.Type == Event.Types.EventType.Delete
        ? new WatchEvent.Deleted(keys.Name(change.Kv.Key), change.Kv.ModRevision)
        : new WatchEvent.Put(keys.ToKeyValue(change.Kv));
}
