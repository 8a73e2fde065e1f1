using System.Threading.Channels;
using Google.Protobuf.WellKnownTypes;
using Microsoft.Extensions.Logging;
using Wagate.Contracts.Message.V1;
using Wagate.Core;
using Wagate.Core.Workers;
using Wagate.Data.Messages;
using Wagate.Worker.Runtime;

namespace Wagate.Worker.Messaging;

/// <summary>Turns sessions' state changes and new QR codes into events of the tenant's log
/// (SESSION_STATE_CHANGED, SESSION_QR_CODE), written through the ledger under each session's
/// fencing token, in the order they happened, off the sessions' threads; then passes every
/// report on to <paramref name="inner"/>. A worker that lost a session adds nothing to its log.</summary>
public sealed class SessionEventRecorder(IWorkerMessageLedger ledger, ISessionStatusSink inner, ILogger<SessionEventRecorder> logger)
    : ISessionStatusSink, IAsyncDisposable
{
    private readonly Channel<(SessionKey Session, long Token, Event Event)> _events =
        Channel.CreateUnbounded<(SessionKey, long, Event)>(new UnboundedChannelOptions { SingleReader = true });
    /// <summary>What each session last reported here, under which token: a session that comes
    /// back under a new token starts afresh, so its first state is an event again.</summary>
    private readonly Dictionary<SessionKey, (long Token, Contracts.Session.V1.Session.Types.State State, string? Qr)> _last = [];
    private readonly Lock _gate = new();
    private Task? _writing;

    public void Report(string worker, SessionKey session, long fencingToken, SessionSnapshot snapshot)
    {
        inner.Report(worker, session, fencingToken, snapshot);
        lock (_gate)
        {
            _writing ??= Task.Run(WriteAsync);
            var previous = _last.GetValueOrDefault(session) is { } last && last.Token == fencingToken ? last : default;
            var time = Timestamp.FromDateTimeOffset(snapshot.UpdateTime);
            if (snapshot.State != previous.State)
            {
                _events.Writer.TryWrite((session, fencingToken, StateChanged(session, snapshot)));
            }
            if (snapshot.QrCode is { } qr && qr.Code != previous.Qr)
            {
                _events.Writer.TryWrite((session, fencingToken, new Event
                {
                    Type = EventType.SessionQrCode,
                    Time = time,
                    Session = session.Name,
                    QrCode = new QrCodeShown { Code = qr.Code, ExpireTime = Timestamp.FromDateTimeOffset(qr.ExpireTime) },
                }));
            }
            _last[session] = (fencingToken, snapshot.State, snapshot.QrCode?.Code ?? previous.Qr);
        }
    }

    /// <summary>The SESSION_STATE_CHANGED event of the session reaching <paramref name="snapshot"/>.</summary>
    public static Event StateChanged(SessionKey session, SessionSnapshot snapshot) => new()
    {
        Type = EventType.SessionStateChanged,
        Time = Timestamp.FromDateTimeOffset(snapshot.UpdateTime),
        Session = session.Name,
        SessionState = new SessionStateChange
        {
            State = snapshot.State,
            PhoneNumber = snapshot.PhoneNumber,
            LastError = snapshot.LastError?.ToProto(),
        },
    };

    private async Task WriteAsync()
    {
        await foreach (var (session, token, sessionEvent) in _events.Reader.ReadAllAsync())
        {
            try
            {
                await ledger.RecordSessionEventAsync(session.TenantId, session.SessionId, token, sessionEvent);
            }
            catch (Exception failed)
            {
                // The live state stays right (status, snapshot); only this event is missing from the log.
                logger.LogError(failed, "Recording a {Type} event of {Session} failed", sessionEvent.Type, session);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        _events.Writer.TryComplete();
        if (_writing is { } writing)
        {
            await writing;
        }
    }
}
