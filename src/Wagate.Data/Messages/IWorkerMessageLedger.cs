using Wagate.Contracts.Message.V1;

namespace Wagate.Data.Messages;

/// <summary>What a worker writes about its sessions' messages, and the outbox it sends from.
/// Every write carries the fencing token the worker owns the session under and is refused
/// (false, or <see cref="LedgerWrite.Owned"/> false) once a newer token has claimed the session,
/// so a worker that lost a session (paused, cut off, replaced) changes nothing. Each accepted write appends its event in the same
/// transaction.</summary>
public interface IWorkerMessageLedger
{
    /// <summary>Makes <paramref name="fencingToken"/> the session's owner token if no larger
    /// token has claimed it. Call it on taking a session over, before reading the outbox: from
    /// then on, writes under older tokens are refused.</summary>
    /// <returns>Whether this token now owns the session (false: a newer owner, or no such session).</returns>
    Task<bool> ClaimSessionAsync(string tenantId, string sessionId, long fencingToken, CancellationToken cancellationToken = default);

    /// <summary>The session's outbound messages still QUEUED, oldest first: what to (re)send.</summary>
    Task<IReadOnlyList<Message>> QueuedAsync(string tenantId, string sessionId, int limit = 1000, CancellationToken cancellationToken = default);

    /// <summary>Moves an outbound message to <paramref name="newState"/> (SENT, DELIVERED, READ,
    /// PLAYED or FAILED) at <paramref name="time"/>, and appends MESSAGE_STATUS_CHANGED. States
    /// only move forward; a stale or backward report (a late receipt) is ignored, not an error.</summary>
    /// <returns>Not owned when fenced out; otherwise the message as changed, or no change when the
    /// report was stale.</returns>
    Task<LedgerWrite> RecordStatusAsync(
        string tenantId, string sessionId, long fencingToken, string messageId, Message.Types.State newState, DateTime time,
        MessageFailure? failure = null, CancellationToken cancellationToken = default);

    /// <summary><see cref="RecordStatusAsync"/> for several reports of one session, applied in
    /// their order in one write; the answer has one write per report, in order.</summary>
    Task<IReadOnlyList<LedgerWrite>> RecordStatusesAsync(
        string tenantId, string sessionId, long fencingToken, IReadOnlyList<StatusReport> reports, CancellationToken cancellationToken = default);

    /// <summary>Stores a message the session received and appends MESSAGE_RECEIVED, once per
    /// <paramref name="externalId"/> (WhatsApp's id of the message): a message handed over
    /// again, after a reconnect or a takeover, is neither stored nor announced twice.
    /// <paramref name="content"/> must not carry inline media data.</summary>
    /// <returns>Not owned when fenced out; otherwise the message as stored, or no change for a
    /// message already stored.</returns>
    /// <param name="time">When the session received it: its create_time, and its event's time.</param>
    /// <param name="sendTime">When its sender sent it, as WhatsApp says: its send_time.</param>
    Task<LedgerWrite> RecordInboundAsync(
        string tenantId, string sessionId, long fencingToken, string externalId, string chat, Content content, DateTime time,
        DateTime? sendTime = null, CancellationToken cancellationToken = default);

    /// <summary>The id WhatsApp knows the session's message <paramref name="messageId"/> by: an
    /// inbound message's own WhatsApp id, an outbound message's resource id (which we gave it as
    /// its WhatsApp id); <paramref name="messageId"/> itself for a message not stored.</summary>
    Task<string> WhatsAppIdOfAsync(string tenantId, string sessionId, string messageId, CancellationToken cancellationToken = default);

    /// <summary>The resource id of the session's message WhatsApp knows as
    /// <paramref name="whatsAppId"/>: the inbound message stored under that WhatsApp id, or else
    /// <paramref name="whatsAppId"/> itself (an outbound message's, or one never stored).</summary>
    Task<string> MessageIdOfAsync(string tenantId, string sessionId, string whatsAppId, CancellationToken cancellationToken = default);

    /// <summary>Appends a SESSION_STATE_CHANGED or SESSION_QR_CODE event of the session.</summary>
    /// <returns>False when fenced out.</returns>
    Task<bool> RecordSessionEventAsync(
        string tenantId, string sessionId, long fencingToken, Event sessionEvent, CancellationToken cancellationToken = default);
}

/// <summary>A report that an outbound message reached <paramref name="NewState"/> at <paramref name="Time"/>.</summary>
public sealed record StatusReport(string MessageId, Message.Types.State NewState, DateTime Time, MessageFailure? Failure = null);
