using System.Collections.Concurrent;
using Wagate.Contracts.Message.V1;
using Wagate.Core;

namespace Wagate.Gateway.Messaging;

/// <summary>Sends with one request id that reach this gateway while the first is still under
/// way share its outcome: a client's burst of retries makes one message, and only the first
/// counts against the tenant's rate limit and quota. (Retries that reach other replicas meet the
/// database's unique request id instead.)</summary>
public sealed class InFlightSends
{
    private readonly ConcurrentDictionary<(SessionKey Session, string RequestId), Lazy<Task<Message>>> _sends = new();

    /// <summary>Runs <paramref name="send"/> unless a send with this request id is under way, and
    /// returns that one's message (or throws its error). <paramref name="send"/> must not depend
    /// on the caller's cancellation: other callers may wait for it.</summary>
    public async Task<Message> RunOnceAsync(SessionKey session, string requestId, Func<Task<Message>> send)
    {
        var key = (session, requestId);
        var shared = _sends.GetOrAdd(key, _ => new Lazy<Task<Message>>(send));
        try
        {
            return await shared.Value;
        }
        finally
        {
            // Done: later retries find the stored message.
            _sends.TryRemove(KeyValuePair.Create(key, shared));
        }
    }
}
