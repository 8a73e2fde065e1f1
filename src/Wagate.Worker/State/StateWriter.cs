using System.Diagnostics;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Wagate.Core;
using Wagate.Engines;
using Wagate.Worker.Runtime;
using Wagate.Worker.Telemetry;

namespace Wagate.Worker.State;

/// <summary>Group commit for one session: state changes that arrive while a write is in flight
/// are merged into the next single write, and each change is marked durable only once the
/// write holding it has completed. One object per delta per message would not scale. A write
/// that fails is tried again a few times over several seconds (object stores answer 503 or time
/// out under load, and a session that stopped for every such blip would need its owner to restart
/// it): a delta sets and removes keys, so writing one twice leaves the same state.</summary>
internal sealed class StateWriter : IAsyncDisposable
{
    /// <summary>The waits between tries of one write: about eight seconds in all, within the
    /// patience of a peer waiting for an acknowledgement.</summary>
    private static readonly TimeSpan[] RetryDelays =
        [TimeSpan.FromMilliseconds(200), TimeSpan.FromMilliseconds(500), TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(4)];

    private readonly Channel<EngineEvent.StateChanged> _pending = Channel.CreateUnbounded<EngineEvent.StateChanged>(new UnboundedChannelOptions { SingleReader = true });
    private readonly ISessionStateStore _store;
    private readonly SessionKey _session;
    private readonly long _fencingToken;
    private readonly TimeProvider _clock;
    private readonly ILogger _logger;
    private readonly WorkerMetrics? _metrics;
    private readonly Task _loop;

    public StateWriter(ISessionStateStore store, SessionKey session, long fencingToken, TimeProvider clock, ILogger logger, WorkerMetrics? metrics = null)
    {
        _store = store;
        _session = session;
        _fencingToken = fencingToken;
        _clock = clock;
        _logger = logger;
        _metrics = metrics;
        _loop = Task.Run(WriteLoopAsync);
    }

    /// <summary>The first write that failed, if any; read after disposing, when all writes are done.</summary>
    public Exception? Failure { get; private set; }

    public void Enqueue(EngineEvent.StateChanged change)
    {
        if (!_pending.Writer.TryWrite(change))
        {
            change.MarkFailed(new ObjectDisposedException(nameof(StateWriter), "The session is stopping."));
        }
    }

    private async Task WriteLoopAsync()
    {
        var batch = new List<EngineEvent.StateChanged>();
        while (await _pending.Reader.WaitToReadAsync())
        {
            batch.Clear();
            while (_pending.Reader.TryRead(out var change))
            {
                batch.Add(change);
            }
            var merged = batch.Skip(1).Aggregate(batch[0].Delta, (delta, next) => delta.Then(next.Delta));
            for (var attempt = 0; ; attempt++)
            {
                var started = Stopwatch.GetTimestamp();
                try
                {
                    await _store.AppendAsync(_session, _fencingToken, merged);
                    _metrics?.StateWrite(WorkerMetrics.Written, Stopwatch.GetElapsedTime(started));
                    batch.ForEach(change => change.MarkDurable());
                    break;
                }
                catch (Exception exception) when (exception is not FencedOutException && attempt < RetryDelays.Length)
                {
                    _metrics?.StateWrite(WorkerMetrics.Retrying, Stopwatch.GetElapsedTime(started));
                    _logger.LogWarning("Storing the state of {Session} failed ({Problem}); trying again", _session, exception.Message);
                    await Task.Delay(RetryDelays[attempt], _clock);
                }
                catch (Exception exception)
                {
                    _metrics?.StateWrite(exception is FencedOutException ? WorkerMetrics.FencedOut : WorkerMetrics.GaveUp, Stopwatch.GetElapsedTime(started));
                    Failure ??= exception;
                    batch.ForEach(change => change.MarkFailed(exception));
                    break;
                }
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        _pending.Writer.TryComplete();
        await _loop;
    }
}
