using System.Collections.Concurrent;
using Wagate.Core;
using Wagate.Worker.Runtime;

namespace Wagate.Worker.State;

/// <summary>One asynchronous lock per session, so that the read-modify-write steps of one session in
/// this process never interleave, while different sessions go on in parallel.</summary>
internal sealed class SessionLocks
{
    private readonly ConcurrentDictionary<SessionKey, SemaphoreSlim> _gates = new();

    public async Task<IDisposable> EnterAsync(SessionKey session, CancellationToken cancellationToken)
    {
        var gate = _gates.GetOrAdd(session, _ => new SemaphoreSlim(1, 1));
        await gate.WaitAsync(cancellationToken);
        return new Release(gate);
    }

    private sealed class Release(SemaphoreSlim gate) : IDisposable
    {
        public void Dispose() => gate.Release();
    }
}
