using Microsoft.EntityFrameworkCore;
using Wagate.Contracts.Message.V1;
using Wagate.Core;
using Wagate.Data.Entities;
using Wagate.Data.Events;

namespace Wagate.Data.Messages;

/// <summary>The message ledger on the relational database (PostgreSQL in clusters, SQLite on a
/// single node). Each call is one short transaction on a context of its own, as workers write
/// for many sessions at once. Fencing: sessions.OwnerToken holds the largest token that claimed
/// the session, and every write first checks it under a lock, in the write's transaction (see
/// <see cref="SessionFence"/>).</summary>
public sealed class WorkerMessageLedger(IDbContextFactory<WagateDbContext> contexts) : IWorkerMessageLedger
{
    public async Task<bool> ClaimSessionAsync(string tenantId, string sessionId, long fencingToken, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(fencingToken);
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        // One statement: raising the token and comparing it cannot be split by another claim.
        // Equal tokens pass, so an owner that claims again (after a retry) still owns.
        var claimed = await db.Sessions
            .Where(s => s.TenantId == tenantId && s.Id == sessionId && s.OwnerToken <= fencingToken)
            .ExecuteUpdateAsync(set => set.SetProperty(s => s.OwnerToken, fencingToken), cancellationToken);
        return claimed == 1;
    }

    public async Task<IReadOnlyList<Message>> QueuedAsync(string tenantId, string sessionId, int limit = 1000, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limit);
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var rows = await db.Messages.AsNoTracking()
            .Where(m => m.TenantId == tenantId && m.SessionId == sessionId
                && m.State == (int)Message.Types.State.Queued && m.Direction == (int)Message.Types.Direction.Outbound)
            .OrderBy(m => m.CreateTime).ThenBy(m => m.Id)
            .Take(limit)
            .ToListAsync(cancellationToken);
        return rows.Select(r => r.ToProto()).ToList();
    }

    public async Task<string> WhatsAppIdOfAsync(string tenantId, string sessionId, string messageId, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await db.Messages.AsNoTracking()
            .Where(m => m.TenantId == tenantId && m.SessionId == sessionId && m.Id == messageId && m.ExternalId != null)
            .Select(m => m.ExternalId)
            .SingleOrDefaultAsync(cancellationToken) ?? messageId;
    }

    public async Task<string> MessageIdOfAsync(string tenantId, string sessionId, string whatsAppId, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await db.Messages.AsNoTracking()
            .Where(m => m.TenantId == tenantId && m.SessionId == sessionId && m.ExternalId == whatsAppId)
            .Select(m => m.Id)
            .SingleOrDefaultAsync(cancellationToken) ?? whatsAppId;
    }

    public async Task<LedgerWrite> RecordStatusAsync(
        string tenantId, string sessionId, long fencingToken, string messageId, Message.Types.State newState, DateTime time,
        MessageFailure? failure = null, CancellationToken cancellationToken = default)
    {
        var allowedFrom = MessageTransitions.AllowedFrom(newState);
        var at = DbTimes.Normalize(time);
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        if (!await SessionFence.HoldAsync(db, tenantId, sessionId, fencingToken, cancellationToken))
        {
            return LedgerWrite.FencedOut;
        }
        // The allowed previous states are part of the UPDATE's condition, so two reports racing
        // for one message cannot move it backwards: the later one re-checks the row it waited for.
        var changed = await db.Messages
            .Where(m => m.TenantId == tenantId && m.SessionId == sessionId && m.Id == messageId
                && m.Direction == (int)Message.Types.Direction.Outbound && allowedFrom.Contains(m.State))
            .ExecuteUpdateAsync(set =>
            {
                set.SetProperty(m => m.State, (int)newState).SetProperty(m => m.UpdateTime, at);
                switch (newState)
                {
                    case Message.Types.State.Sent:
                        set.SetProperty(m => m.SendTime, at);
                        break;
                    case Message.Types.State.Delivered:
                        set.SetProperty(m => m.DeliverTime, at);
                        break;
                    case Message.Types.State.Read:
                        set.SetProperty(m => m.ReadTime, at);
                        break;
                    case Message.Types.State.Played:
                        set.SetProperty(m => m.PlayTime, at);
                        break;
                    case Message.Types.State.Failed:
                        set.SetProperty(m => m.FailTime, at)
                            .SetProperty(m => m.FailureReason, Truncate(failure?.Reason, Limits.FailureReasonLength))
                            .SetProperty(m => m.FailureMessage, Truncate(failure?.Message, Limits.ReasonLength));
                        break;
                }
            }, cancellationToken);
        if (changed == 0)
        {
            return LedgerWrite.Unchanged; // stale, backwards or unknown: nothing to record, and not the worker's fault
        }
        var message = (await db.Messages.AsNoTracking()
            .SingleAsync(m => m.TenantId == tenantId && m.SessionId == sessionId && m.Id == messageId, cancellationToken)).ToProto();
        await new EventLog(db).AppendAsync(tenantId, sessionId, new Event
        {
            Type = EventType.MessageStatusChanged,
            Time = DbTimes.ToTimestamp(at),
            Message = message,
        }, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return LedgerWrite.Applied(message);
    }

    public async Task<LedgerWrite> RecordInboundAsync(
        string tenantId, string sessionId, long fencingToken, string externalId, string chat, Content content, DateTime time,
        CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(externalId);
        var json = StoredContent.ToJson(content);
        var at = DbTimes.Normalize(time);
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        if (!await SessionFence.HoldAsync(db, tenantId, sessionId, fencingToken, cancellationToken))
        {
            return LedgerWrite.FencedOut;
        }
        if (await db.Messages.AnyAsync(
            m => m.TenantId == tenantId && m.SessionId == sessionId && m.ExternalId == externalId, cancellationToken))
        {
            return LedgerWrite.Unchanged; // handed over again: stored and announced the first time
        }
        var row = new MessageRecord
        {
            TenantId = tenantId,
            SessionId = sessionId,
            Id = RecordIds.NewMessageId(),
            Direction = (int)Message.Types.Direction.Inbound,
            Chat = chat,
            ExternalId = externalId,
            Content = json,
            State = (int)Message.Types.State.Received,
            CreateTime = at,
            UpdateTime = at,
        };
        try
        {
            db.Messages.Add(row);
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException exception) when (DbErrors.IsUniqueViolation(exception))
        {
            // The same message, recorded at the same moment by a concurrent call of this owner:
            // that call stores and announces it.
            return LedgerWrite.Unchanged;
        }
        var message = row.ToProto();
        await new EventLog(db).AppendAsync(tenantId, sessionId, new Event
        {
            Type = EventType.MessageReceived,
            Time = message.CreateTime,
            Message = message,
        }, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return LedgerWrite.Applied(message);
    }

    public async Task<bool> RecordSessionEventAsync(
        string tenantId, string sessionId, long fencingToken, Event sessionEvent, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(sessionEvent);
        if (sessionEvent.Type is not (EventType.SessionStateChanged or EventType.SessionQrCode))
        {
            throw new ArgumentException("A session event is SESSION_STATE_CHANGED or SESSION_QR_CODE.", nameof(sessionEvent));
        }
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        if (!await SessionFence.HoldAsync(db, tenantId, sessionId, fencingToken, cancellationToken))
        {
            return false;
        }
        await new EventLog(db).AppendAsync(tenantId, sessionId, sessionEvent, cancellationToken);
        if (sessionEvent.SessionState is { } change)
        {
            await RecordStateAsync(db, tenantId, sessionId, change, sessionEvent.Time.ToDateTime(), cancellationToken);
        }
        await transaction.CommitAsync(cancellationToken);
        return true;
    }

    /// <summary>The session's owner is the one writer of its last known state in the row, with
    /// the event that announces it: what GetSession shows while no live status exists (after a
    /// single node restarts, for a session waiting for a restart), and what says at start which
    /// sessions were running.</summary>
    private static Task<int> RecordStateAsync(
        WagateDbContext db, string tenantId, string sessionId, SessionStateChange change, DateTime at, CancellationToken cancellationToken)
    {
        var error = change.LastError;
        DateTime? errorTime = error?.Time is { } time ? DbTimes.Normalize(time.ToDateTime()) : null;
        var updated = DbTimes.Normalize(at);
        return db.Sessions.Where(s => s.TenantId == tenantId && s.Id == sessionId)
            .ExecuteUpdateAsync(set => set
                .SetProperty(s => s.State, (int)change.State)
                .SetProperty(s => s.PhoneNumber, change.PhoneNumber)
                .SetProperty(s => s.ErrorReason, error == null ? "" : error.Reason)
                .SetProperty(s => s.ErrorMessage, error == null ? "" : error.Message)
                .SetProperty(s => s.ErrorCode, error == null ? 0 : error.Code)
                .SetProperty(s => s.ErrorTime, errorTime)
                .SetProperty(s => s.UpdateTime, updated), cancellationToken);
    }

    private static string Truncate(string? text, int length) =>
        string.IsNullOrEmpty(text) ? "" : text.Length <= length ? text : text[..length];
}
