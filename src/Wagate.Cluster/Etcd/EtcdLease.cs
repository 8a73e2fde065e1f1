using dotnet_etcd;
using Etcdserverpb;
using Grpc.Core;

namespace Wagate.Cluster;

/// <summary>An etcd lease renewed over one keep-alive stream every third of its TTL. Lost is a dead
/// man's switch: it fires by itself one TTL after the last renewal was sent, unless the next one
/// re-arms it, so a holder cut off from etcd stops before etcd can have let the lease go.</summary>
internal sealed class EtcdLease : ILease
{
    // Several retries fit in a TTL of a few seconds, while a reconnecting channel gets some room.
    private static readonly TimeSpan RetryInterval = TimeSpan.FromMilliseconds(200);

    private readonly EtcdClient _client;
    private readonly TimeProvider _time;
    private readonly CancellationTokenSource _lost;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _keepAlive;
    private int _disposed;

    public EtcdLease(EtcdClient client, long id, TimeSpan ttl, long grantSentAt, TimeProvider time)
    {
        _client = client;
        _time = time;
        Id = id;
        Ttl = ttl;
        _lost = new CancellationTokenSource(Remaining(grantSentAt, ttl), time);
        Lost = _lost.Token;
        _keepAlive = KeepAliveAsync();
    }

    public long Id { get; }

    public TimeSpan Ttl { get; }

    public CancellationToken Lost { get; }

    private TimeSpan RenewInterval => Ttl / 3;

    public void StopKeepAlive() => _stop.Cancel();

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }
        // The holder stops before its keys vanish, not after.
        await _stop.CancelAsync();
        await _lost.CancelAsync();
        try
        {
            using var patience = new CancellationTokenSource(Ttl, _time);
            await _client.LeaseRevokeAsync(new LeaseRevokeRequest { ID = Id }, cancellationToken: patience.Token);
        }
        catch (Exception unrevoked) when (unrevoked is RpcException or OperationCanceledException)
        {
            // Already gone, or etcd out of reach: either way the lease ends within its TTL.
        }
        await _keepAlive;
        _stop.Dispose();
        _lost.Dispose();
    }

    private async Task KeepAliveAsync()
    {
        using var running = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token, Lost);
        AsyncDuplexStreamingCall<LeaseKeepAliveRequest, LeaseKeepAliveResponse>? stream = null;
        var wait = RenewInterval;
        try
        {
            while (true)
            {
                await Task.Delay(wait, _time, running.Token);
                try
                {
                    stream ??= _client.GetConnection().LeaseClient.LeaseKeepAlive(cancellationToken: running.Token);
                    var sentAt = _time.GetTimestamp();
                    await stream.RequestStream.WriteAsync(new LeaseKeepAliveRequest { ID = Id }, running.Token);
                    if (!await stream.ResponseStream.MoveNext(running.Token))
                    {
                        throw new IOException("etcd ended the keep-alive stream.");
                    }
                    var renewed = stream.ResponseStream.Current;
                    if (renewed.TTL <= 0)
                    {
                        await _lost.CancelAsync(); // expired or revoked at etcd: nothing to renew
                        return;
                    }
                    _lost.CancelAfter(Remaining(sentAt, TimeSpan.FromSeconds(renewed.TTL)));
                    wait = RenewInterval;
                }
                catch (Exception) when (!running.IsCancellationRequested)
                {
                    // However this attempt failed (etcd gone, connection reset, call aborted under us), it
                    // is one renewal missed: the switch alone decides when missed renewals mean lost.
                    stream?.Dispose();
                    stream = null;
                    wait = RetryInterval;
                }
            }
        }
        catch (Exception) when (running.IsCancellationRequested)
        {
            // Stopped, revoked or lost: however the pending call noticed, the loop is over.
        }
        finally
        {
            stream?.Dispose();
        }
    }

    private TimeSpan Remaining(long sentAt, TimeSpan ttl)
    {
        var left = ttl - _time.GetElapsedTime(sentAt);
        return left > TimeSpan.Zero ? left : TimeSpan.Zero;
    }
}
