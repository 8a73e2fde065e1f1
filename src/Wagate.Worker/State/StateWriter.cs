using System.Threading.Channels;
using Wagate.Core;
using Wagate.Engines;
using Wagate.Worker.Runtime;

namespace Wagate.Worker.State;

/// <summary>Group commit for one session: state changes that arrive while a write is in flight
/// are merged into the next single write, and each change is marked durable only once the
/// write holding it has completed. One object per delta per message would not scale.</summary>
internal sealed class StateWriter : IAsyncDisposable
{
    private readonly Channel<EngineEvent.StateChanged> _pending = Channel.CreateUnbounded<EngineEvent.StateChanged>(new UnboundedChannelOptions { SingleReader = true });
    private readonly ISessionStateStore _store;
    private readonly SessionKey _session;
    private readonly long _fencingToken;
    private readonly Task _loop;

    public StateWriter(ISessionStateStore store, SessionKey session, long fencingToken)
    {
        _store = store;
        _session = session;
        _fencingToken = fencingToken;
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
            try
            {
                await _store.AppendAsync(_session, _fencingToken, merged);
                batch.ForEach(change => change.MarkDurable());
            }
            catch (Exception exception)
            {
                Failure ??= exception;
                batch.ForEach(change => change.MarkFailed(exception));
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        _pending.Writer.TryComplete();
        await _loop;
    }
}
