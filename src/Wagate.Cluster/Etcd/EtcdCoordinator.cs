using dotnet_etcd;
using Etcdserverpb;
using Google.Protobuf;
using Grpc.Core;
using Grpc.Net.Client;
using Wagate.Cluster.Watching;

namespace Wagate.Cluster;

/// <summary>The coordinator on an etcd cluster (3.4 or later), through dotnet-etcd's EtcdClient.</summary>
public sealed class EtcdCoordinator : ICoordinator, ICompactable, IDisposable
{
    private readonly GrpcChannel _channel;
    private readonly EtcdClient _client;
    private readonly EtcdKeyspace _keys;
    private readonly EtcdWatchStreams _watchStreams;
    private readonly TimeProvider _time;

    public EtcdCoordinator(EtcdCoordinatorOptions options, TimeProvider? time = null)
    {
        _time = time ?? TimeProvider.System;
        _keys = new EtcdKeyspace(options.KeyPrefix);
        // Our own channel rather than EtcdClient's: it must be disposed with us, and it must not carry
        // EtcdClient's retry policy, which replays calls on UNAVAILABLE even when etcd may have applied
        // them (a replayed create-if-absent reports as lost an ownership it won).
        _channel = GrpcChannel.ForAddress(options.Endpoint, new GrpcChannelOptions
        {
            HttpHandler = new SocketsHttpHandler
            {
                // A connection that died without a word must be noticed well inside a lease TTL.
                KeepAlivePingDelay = TimeSpan.FromSeconds(3),
                KeepAlivePingTimeout = TimeSpan.FromSeconds(3),
                KeepAlivePingPolicy = HttpKeepAlivePingPolicy.Always,
                EnableMultipleHttp2Connections = true,
            },
            // gRPC's default backs off to two minutes; leases live a few seconds.
            InitialReconnectBackoff = TimeSpan.FromMilliseconds(100),
            MaxReconnectBackoff = TimeSpan.FromSeconds(2),
            ThrowOperationCanceledOnCancellation = true,
        });
        _client = new EtcdClient(_channel.CreateCallInvoker());
        _watchStreams = new EtcdWatchStreams(_client.GetConnection().WatchClient, _keys, this);
    }

    public async Task<ILease> GrantLeaseAsync(TimeSpan ttl, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(ttl, TimeSpan.Zero);
        var sentAt = _time.GetTimestamp();
        var granted = await _client.LeaseGrantAsync(
            new LeaseGrantRequest { TTL = (long)Math.Ceiling(ttl.TotalSeconds) }, cancellationToken: cancellationToken);
        if (!string.IsNullOrEmpty(granted.Error))
        {
            throw new InvalidOperationException($"etcd refused the lease: {granted.Error}");
        }
        return new EtcdLease(_client, granted.ID, TimeSpan.FromSeconds(granted.TTL), sentAt, _time);
    }

    public async Task<KeyValue?> GetAsync(string key, CancellationToken cancellationToken = default)
    {
        var read = await _client.GetAsync(new RangeRequest { Key = _keys.Key(key) }, cancellationToken: cancellationToken);
        return read.Kvs.Count == 0 ? null : _keys.ToKeyValue(read.Kvs[0]);
    }

    /// <summary>Read in pages of <see cref="PrefixPageSize"/> keys, all at the revision of the
    /// first: one answer of a whole prefix would outgrow gRPC's 4 MB message limit at some tens of
    /// thousands of sessions. If etcd compacts that revision away between two pages, the read
    /// starts again at a newer one.</summary>
    public async Task<PrefixSnapshot> GetPrefixAsync(string prefix, CancellationToken cancellationToken = default)
    {
        var (key, rangeEnd) = _keys.Prefix(prefix);
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await ReadPrefixAsync(key, rangeEnd, cancellationToken);
            }
            catch (RpcException compacted) when (attempt < 3 && compacted.StatusCode == StatusCode.OutOfRange)
            {
                // "required revision has been compacted": read again from the current revision.
            }
        }
    }

    /// <summary>How many keys one range read returns at most.</summary>
    internal const int PrefixPageSize = 1000;

    private async Task<PrefixSnapshot> ReadPrefixAsync(ByteString key, ByteString rangeEnd, CancellationToken cancellationToken)
    {
        var items = new List<KeyValue>();
        var revision = 0L;
        var from = key;
        while (true)
        {
            var page = await _client.GetAsync(
                new RangeRequest { Key = from, RangeEnd = rangeEnd, Limit = PrefixPageSize, Revision = revision }, cancellationToken: cancellationToken);
            if (revision == 0)
            {
                revision = page.Header.Revision;
            }
            items.AddRange(page.Kvs.Select(_keys.ToKeyValue));
            if (!page.More || page.Kvs.Count == 0)
            {
                return new PrefixSnapshot(items, revision);
            }
            // The next page starts just after the last key read: that key with a zero byte added.
            from = ByteString.CopyFrom([.. page.Kvs[^1].Key.Span, (byte)0]);
        }
    }

    public async Task<long> PutAsync(string key, byte[] value, long leaseId = 0, CancellationToken cancellationToken = default)
    {
        var written = await LeaseCheckedAsync(
            () => _client.PutAsync(PutRequest(key, value, leaseId), cancellationToken: cancellationToken));
        return written.Header.Revision;
    }

    public async Task<bool> DeleteAsync(string key, CancellationToken cancellationToken = default)
    {
        var deleted = await _client.DeleteAsync(
            new DeleteRangeRequest { Key = _keys.Key(key) }, cancellationToken: cancellationToken);
        return deleted.Deleted > 0;
    }

    public async Task<long?> TryCreateAsync(string key, byte[] value, long leaseId, CancellationToken cancellationToken = default)
    {
        CoordinatorArguments.EnsureLease(leaseId);
        var transaction = new TxnRequest
        {
            Compare = { CreateRevisionIs(key, 0) },
            Success = { new RequestOp { RequestPut = PutRequest(key, value, leaseId) } },
        };
        var outcome = await LeaseCheckedAsync(
            () => _client.TransactionAsync(transaction, cancellationToken: cancellationToken));
        // The put is the transaction's only write, so the revision of the transaction created the key.
        return outcome.Succeeded ? outcome.Header.Revision : null;
    }

    public async Task<long?> TryCreateAllAsync(IReadOnlyList<KeyWrite> keys, CancellationToken cancellationToken = default)
    {
        CoordinatorArguments.EnsureCreatable(keys);
        var transaction = new TxnRequest();
        transaction.Compare.AddRange(keys.Select(k => CreateRevisionIs(k.Key, 0)));
        transaction.Success.AddRange(keys.Select(k => new RequestOp { RequestPut = PutRequest(k.Key, k.Value!, k.LeaseId) }));
        var outcome = await LeaseCheckedAsync(
            () => _client.TransactionAsync(transaction, cancellationToken: cancellationToken));
        // One transaction, one revision: every key it created has it as its create revision.
        return outcome.Succeeded ? outcome.Header.Revision : null;
    }

    public async Task<bool> CommitIfOwnerAsync(
        string ownerKey, long fencingToken, IReadOnlyList<KeyWrite> writes, CancellationToken cancellationToken = default)
    {
        CoordinatorArguments.EnsureFencingToken(fencingToken);
        CoordinatorArguments.EnsureEachKeyOnce(writes);
        var transaction = new TxnRequest { Compare = { CreateRevisionIs(ownerKey, fencingToken) } };
        transaction.Success.AddRange(writes.Select(write => write.Value is null
            ? new RequestOp { RequestDeleteRange = new DeleteRangeRequest { Key = _keys.Key(write.Key) } }
            : new RequestOp { RequestPut = PutRequest(write.Key, write.Value, write.LeaseId) }));
        var outcome = await LeaseCheckedAsync(
            () => _client.TransactionAsync(transaction, cancellationToken: cancellationToken));
        return outcome.Succeeded;
    }

    public IAsyncEnumerable<WatchEvent> WatchPrefixAsync(string prefix, long startRevision, CancellationToken cancellationToken = default) =>
        ResumingWatch.RunAsync(_watchStreams, prefix, startRevision, _time, cancellationToken);

    public async Task CompactAsync(long revision, CancellationToken cancellationToken = default) =>
        // Physical: returns once the history is really gone, so a watch opened afterwards cannot see it.
        await _client.CompactAsync(new CompactionRequest { Revision = revision, Physical = true }, cancellationToken: cancellationToken);

    public void Dispose() => _channel.Dispose();

    private PutRequest PutRequest(string key, byte[] value, long leaseId) =>
        new() { Key = _keys.Key(key), Value = ByteString.CopyFrom(value), Lease = leaseId };

    private Compare CreateRevisionIs(string key, long revision) => new()
    {
        Key = _keys.Key(key),
        Target = Compare.Types.CompareTarget.Create,
        Result = Compare.Types.CompareResult.Equal,
        CreateRevision = revision,
    };

    private static async Task<T> LeaseCheckedAsync<T>(Func<Task<T>> write)
    {
        try
        {
            return await write();
        }
        catch (RpcException refused) when (refused.StatusCode == StatusCode.NotFound
            && refused.Status.Detail.Contains("lease not found", StringComparison.Ordinal))
        {
            throw new LeaseNotFoundException("The write is bound to a lease etcd no longer has.", refused);
        }
    }
}
