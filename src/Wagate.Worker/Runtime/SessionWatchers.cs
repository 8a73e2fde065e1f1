using System.Runtime.CompilerServices;
using System.Threading.Channels;
using Wagate.Core;

namespace Wagate.Worker.Runtime;

/// <summary>A session's snapshot as the outside sees it, and the fan-out of its changes to
/// everyone watching (WatchSession through the gateway): each watcher gets the current snapshot,
/// then every change, in order, without waiting for the slowest.</summary>
internal sealed class SessionWatchers(SessionSnapshot initial, TimeProvider clock)
{
    private readonly Lock _gate = new();
    private readonly List<Channel<SessionChange>> _watchers = [];
    private SessionSnapshot _current = initial;

    public SessionSnapshot Current
    {
        get
        {
            lock (_gate)
            {
                return _current;
            }
        }
    }

    /// <summary>Applies <paramref name="change"/> and tells every watcher; null when it changed
    /// nothing anyone could see (then nobody is told).</summary>
    /// <param name="newQr">The change carries a new QR code: told even if nothing else changed.</param>
    public SessionSnapshot? Publish(Func<SessionSnapshot, SessionSnapshot> change, bool newQr)
    {
        lock (_gate)
        {
            var previous = _current;
            var next = change(previous) with { UpdateTime = clock.GetUtcNow() };
            if (!newQr && next with { UpdateTime = previous.UpdateTime } == previous)
            {
                return null;
            }
            _current = next;
            foreach (var watcher in _watchers)
            {
                watcher.Writer.TryWrite(new SessionChange(next, newQr));
            }
            return next;
        }
    }

    /// <summary>The current snapshot, then every change, until <see cref="Complete"/> or the
    /// caller stops reading.</summary>
    public async IAsyncEnumerable<SessionChange> WatchAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var channel = Channel.CreateUnbounded<SessionChange>(new UnboundedChannelOptions { SingleReader = true });
        lock (_gate)
        {
            channel.Writer.TryWrite(new SessionChange(_current, _current.QrCode is not null));
            _watchers.Add(channel);
        }
        try
        {
            await foreach (var change in channel.Reader.ReadAllAsync(cancellationToken))
            {
                yield return change;
            }
        }
        finally
        {
            lock (_gate)
            {
                _watchers.Remove(channel);
            }
        }
    }

    /// <summary>Ends every watch: the session is gone from this worker.</summary>
    public void Complete()
    {
        lock (_gate)
        {
            _watchers.ForEach(w => w.Writer.TryComplete());
            _watchers.Clear();
        }
    }
}
