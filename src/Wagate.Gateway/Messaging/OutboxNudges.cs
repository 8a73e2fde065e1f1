using System.Collections.Concurrent;
using Wagate.Core;
using Wagate.Gateway.Sessions;

namespace Wagate.Gateway.Messaging;

/// <summary>Tells a session's worker that new messages wait in its outbox, with at most one call
/// in flight per session: the worker reads the whole outbox when nudged, so every send accepted
/// while a call is in flight is covered by one more call after it. A send does not wait for its
/// nudge, and a nudge that is lost costs only the worker's next scan of the outbox (a few
/// seconds), since the outbox, not the nudge, is the truth.</summary>
public sealed class OutboxNudges(ISessionHosting hosting, ILogger<OutboxNudges> logger)
{
    private const int InFlight = 1;
    private const int WantedAgain = 2;

    private readonly ConcurrentDictionary<SessionKey, int> _sessions = new();

    public void Nudge(SessionKey session)
    {
        while (true)
        {
            if (_sessions.TryAdd(session, InFlight))
            {
                _ = Task.Run(() => NudgeWhileWantedAsync(session));
                return;
            }
            if (_sessions.TryUpdate(session, WantedAgain, InFlight) || _sessions.TryGetValue(session, out var state) && state == WantedAgain)
            {
                return;
            }
            // The call in flight just ended and let go of the session: start one.
        }
    }

    private async Task NudgeWhileWantedAsync(SessionKey session)
    {
        do
        {
            try
            {
                if (await hosting.WorkerOfAsync(session, CancellationToken.None) is { } worker)
                {
                    await worker.DispatchMessagesAsync(session, CancellationToken.None);
                }
            }
            catch (Exception missed)
            {
                logger.LogInformation("The worker of {Session} missed a nudge ({Problem}); it sends the message on its next scan", session, missed.Message);
            }
        }
        while (!_sessions.TryRemove(KeyValuePair.Create(session, InFlight)) && _sessions.TryUpdate(session, InFlight, WantedAgain));
    }
}
