using Microsoft.EntityFrameworkCore;
using Wagate.Contracts.Message.V1;
using Wagate.Core;
using Wagate.Data.Entities;
using Wagate.Data.Events;

namespace Wagate.Data.Messages;

/// <summary>The message ledger on the relational database (PostgreSQL in clusters, SQLite on a
/// single node). The writes of all the sessions of a worker (statuses, inbound messages, session
/// events) are group-committed: those that arrive while a transaction runs share the next one
/// (<see cref="GroupCommit{TItem, TResult}"/>), each answered once it is durable; a write waits
/// for its own answer, so one session's writes stay in order. Fencing: sessions.OwnerToken holds
/// the largest token that claimed the session, and a transaction checks the tokens of every
/// session it writes to under a lock just before it commits (see <see cref="SessionFence"/>); an
/// entry whose writer was fenced out writes nothing.</summary>
public sealed class WorkerMessageLedger : IWorkerMessageLedger, IAsyncDisposable
{
    private readonly IDbContextFactory<WagateDbContext> _contexts;
    private readonly GroupCommit<Entry, IReadOnlyList<LedgerWrite>> _writes;
    private readonly GroupCommit<SessionClaims.Claim, bool> _claims;

    public WorkerMessageLedger(IDbContextFactory<WagateDbContext> contexts)
    {
        _contexts = contexts;
        _writes = new GroupCommit<Entry, IReadOnlyList<LedgerWrite>>(CommitAsync, writers: 2, maxGroup: 256, stopping: "The worker is stopping.");
        // A takeover claims a dead worker's hundreds of sessions at once: in a few statements,
        // not one each (and a pooled connection each).
        _claims = new GroupCommit<SessionClaims.Claim, bool>(async claims =>
        {
            await using var db = await _contexts.CreateDbContextAsync();
            return [.. (await SessionClaims.ClaimAllAsync(db, claims)).Select(Task.FromResult)];
        }, writers: 2, maxGroup: 512, stopping: "The worker is stopping.");
    }

    public Task<bool> ClaimSessionAsync(string tenantId, string sessionId, long fencingToken, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(fencingToken);
        return _claims.SubmitAsync(new SessionClaims.Claim(tenantId, sessionId, fencingToken)).WaitAsync(cancellationToken);
    }

    public async Task<IReadOnlyList<Message>> QueuedAsync(string tenantId, string sessionId, int limit = 1000, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limit);
        await using var db = await _contexts.CreateDbContextAsync(cancellationToken);
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
        await using var db = await _contexts.CreateDbContextAsync(cancellationToken);
        return await db.Messages.AsNoTracking()
            .Where(m => m.TenantId == tenantId && m.SessionId == sessionId && m.Id == messageId && m.ExternalId != null)
            .Select(m => m.ExternalId)
            .SingleOrDefaultAsync(cancellationToken) ?? messageId;
    }

    public async Task<string> MessageIdOfAsync(string tenantId, string sessionId, string whatsAppId, CancellationToken cancellationToken = default)
    {
        await using var db = await _contexts.CreateDbContextAsync(cancellationToken);
        return await db.Messages.AsNoTracking()
            .Where(m => m.TenantId == tenantId && m.SessionId == sessionId && m.ExternalId == whatsAppId)
            .Select(m => m.Id)
            .SingleOrDefaultAsync(cancellationToken) ?? whatsAppId;
    }

    public async Task<LedgerWrite> RecordStatusAsync(
        string tenantId, string sessionId, long fencingToken, string messageId, Message.Types.State newState, DateTime time,
        MessageFailure? failure = null, CancellationToken cancellationToken = default) =>
        (await RecordStatusesAsync(tenantId, sessionId, fencingToken, [new StatusReport(messageId, newState, time, failure)], cancellationToken))[0];

    public Task<IReadOnlyList<LedgerWrite>> RecordStatusesAsync(
        string tenantId, string sessionId, long fencingToken, IReadOnlyList<StatusReport> reports, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfZero(reports.Count);
        return _writes.SubmitAsync(new StatusEntry(tenantId, sessionId, fencingToken,
            [.. reports.Select(r => r with { Time = DbTimes.Normalize(r.Time) })])).WaitAsync(cancellationToken);
    }

    public async Task<LedgerWrite> RecordInboundAsync(
        string tenantId, string sessionId, long fencingToken, string externalId, string chat, Content content, DateTime time,
        DateTime? sendTime = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(externalId);
        return (await _writes.SubmitAsync(new InboundEntry(tenantId, sessionId, fencingToken, externalId, chat, StoredContent.ToJson(content),
                DbTimes.Normalize(time), sendTime is { } sent ? DbTimes.Normalize(sent) : null))
            .WaitAsync(cancellationToken))[0];
    }

    public async Task<bool> RecordSessionEventAsync(
        string tenantId, string sessionId, long fencingToken, Event sessionEvent, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(sessionEvent);
        if (sessionEvent.Type is not (EventType.SessionStateChanged or EventType.SessionQrCode))
        {
            throw new ArgumentException("A session event is SESSION_STATE_CHANGED or SESSION_QR_CODE.", nameof(sessionEvent));
        }
        return (await _writes.SubmitAsync(new SessionEventEntry(tenantId, sessionId, fencingToken, sessionEvent)).WaitAsync(cancellationToken))[0].Owned;
    }

    /// <summary>A write of the ledger, waiting for its group.</summary>
    private abstract record Entry(string TenantId, string SessionId, long FencingToken);

    /// <summary>Reports of one session, applied in their order.</summary>
    private sealed record StatusEntry(string TenantId, string SessionId, long FencingToken, IReadOnlyList<StatusReport> Reports)
        : Entry(TenantId, SessionId, FencingToken);

    private sealed record InboundEntry(string TenantId, string SessionId, long FencingToken, string ExternalId, string Chat, string ContentJson, DateTime Time, DateTime? SendTime)
        : Entry(TenantId, SessionId, FencingToken);

    private sealed record SessionEventEntry(string TenantId, string SessionId, long FencingToken, Event Event)
        : Entry(TenantId, SessionId, FencingToken);

    /// <summary>A group in one transaction; when that fails, each entry in one of its own, so one
    /// entry's problem costs the others only a retry.</summary>
    private async Task<IReadOnlyList<Task<IReadOnlyList<LedgerWrite>>>> CommitAsync(IReadOnlyList<Entry> entries)
    {
        try
        {
            return [.. (await WriteAsync(entries)).Select(Task.FromResult)];
        }
        catch (Exception) when (entries.Count > 1)
        {
            var outcomes = new List<Task<IReadOnlyList<LedgerWrite>>>(entries.Count);
            foreach (var entry in entries)
            {
                try
                {
                    outcomes.Add(Task.FromResult((await WriteAsync([entry]))[0]));
                }
                catch (Exception failed)
                {
                    outcomes.Add(Task.FromException<IReadOnlyList<LedgerWrite>>(failed));
                }
            }
            return outcomes;
        }
    }

    /// <summary>Every entry whose writer still owns its session, in order, with their events, in
    /// one transaction. The fence comes last (<see cref="SessionFence"/>): the group's writes
    /// first, then its sessions' rows locked and their owners compared, then the commit, so the
    /// rows every writer of these sessions needs are held for two round trips rather than the
    /// whole transaction. Entries found fenced out there roll it back, and the group is written
    /// again without them: the rare race with a takeover's claim.</summary>
    private async Task<IReadOnlyList<LedgerWrite>[]> WriteAsync(IReadOnlyList<Entry> entries)
    {
        var fencedOut = new HashSet<(string TenantId, string SessionId, long FencingToken)>();
        while (true)
        {
            if (await TryWriteAsync(entries, fencedOut) is { } writes)
            {
                return writes;
            }
        }
    }

    /// <summary>Null when the fence found more entries fenced out (added to <paramref name="fencedOut"/>): nothing was written.</summary>
    private async Task<IReadOnlyList<LedgerWrite>[]?> TryWriteAsync(IReadOnlyList<Entry> entries, HashSet<(string, string, long)> fencedOut)
    {
        var owned = entries.Select(e => !fencedOut.Contains((e.TenantId, e.SessionId, e.FencingToken))).ToArray();
        var writes = new IReadOnlyList<LedgerWrite>[entries.Count];
        for (var i = 0; i < entries.Count; i++)
        {
            if (!owned[i])
            {
                writes[i] = entries[i] is StatusEntry fenced ? [.. fenced.Reports.Select(_ => LedgerWrite.FencedOut)] : [LedgerWrite.FencedOut];
            }
        }
        if (!owned.Contains(true))
        {
            return writes;
        }
        await using var db = await _contexts.CreateDbContextAsync();
        // Savepoints around each save would cost two more round trips inside the transaction;
        // a failed save fails the whole group, which is then written entry by entry.
        db.Database.AutoSavepointsEnabled = false;
        await using var transaction = await db.Database.BeginTransactionAsync();
        // The group's status reports first, all in one go; their events still go in the entries' order.
        var updates = entries.Where((_, i) => owned[i]).OfType<StatusEntry>()
            .SelectMany(e => e.Reports.Select(r => new MessageStatusUpdates.Update(e.TenantId, e.SessionId, r))).ToList();
        var updated = await MessageStatusUpdates.ApplyAsync(db, updates);
        var nextUpdate = 0;
        var events = new List<NewEvent>();
        var received = new HashSet<(string, string, string)>();
        for (var i = 0; i < entries.Count; i++)
        {
            if (!owned[i])
            {
                continue;
            }
            var entry = entries[i];
            writes[i] = entry switch
            {
                StatusEntry status => [.. status.Reports.Select(report => Announced(status, report, updated[nextUpdate++], events))],
                InboundEntry inbound => [received.Add((inbound.TenantId, inbound.SessionId, inbound.ExternalId))
                    ? await ApplyAsync(db, inbound, events)
                    : LedgerWrite.Unchanged], // the same message twice in one group: the first stores it
                SessionEventEntry sessionEvent => [Announced(sessionEvent, events)],
                _ => throw new InvalidOperationException($"Unknown ledger entry {entry.GetType().Name}."),
            };
        }
        try
        {
            // Saves the inbound messages too, with the events that announce them.
            await new EventLog(db).AppendAllAsync(events);
        }
        catch (DbUpdateException exception) when (entries.Count == 1 && entries[0] is InboundEntry && DbErrors.IsUniqueViolation(exception))
        {
            // The same message, recorded at the same moment by a concurrent group of this owner:
            // that group stores and announces it.
            return [[LedgerWrite.Unchanged]];
        }
        catch (DbUpdateException exception) when (DbErrors.IsForeignKeyViolation(exception))
        {
            // A session deleted meanwhile: its received message has no session row to belong to.
            // Which one it was is read without the fence, and the group written again without it.
            await transaction.RollbackAsync();
            var gone = Lost(await SessionFence.ReadAllAsync(db, Sessions(), CancellationToken.None));
            if (gone.Count == 0)
            {
                throw;
            }
            fencedOut.UnionWith(gone);
            return null;
        }
        var lost = Lost(await SessionFence.HoldAllAsync(db, Sessions(), CancellationToken.None));
        if (lost.Count > 0)
        {
            await transaction.RollbackAsync();
            fencedOut.UnionWith(lost);
            return null;
        }
        // The session rows are held now: their last known states are written under the fence,
        // not before it, so no writer holds one of them while waiting for the others.
        foreach (var sessionEvent in entries.Where((_, i) => owned[i]).OfType<SessionEventEntry>())
        {
            if (sessionEvent.Event.SessionState is { } change)
            {
                await RecordStateAsync(db, sessionEvent.TenantId, sessionEvent.SessionId, change, sessionEvent.Event.Time.ToDateTime(), CancellationToken.None);
            }
        }
        await transaction.CommitAsync();
        return writes;

        List<(string TenantId, string SessionId)> Sessions() => [.. entries.Where((_, i) => owned[i]).Select(e => (e.TenantId, e.SessionId))];

        List<(string, string, long)> Lost(Dictionary<(string TenantId, string SessionId), long> owners) =>
            [.. entries.Where((e, i) => owned[i] && !(owners.TryGetValue((e.TenantId, e.SessionId), out var owner) && owner == e.FencingToken))
                .Select(e => (e.TenantId, e.SessionId, e.FencingToken))];
    }

    /// <summary>A report's outcome: a changed message is announced by a MESSAGE_STATUS_CHANGED event.</summary>
    private static LedgerWrite Announced(StatusEntry entry, StatusReport report, Message? changed, List<NewEvent> events)
    {
        if (changed is null)
        {
            return LedgerWrite.Unchanged; // stale, backwards or unknown: nothing to record, and not the worker's fault
        }
        events.Add(new NewEvent(entry.TenantId, entry.SessionId, new Event
        {
            Type = EventType.MessageStatusChanged,
            Time = DbTimes.ToTimestamp(report.Time),
            Message = changed,
        }));
        return LedgerWrite.Applied(changed);
    }

    private static async Task<LedgerWrite> ApplyAsync(WagateDbContext db, InboundEntry entry, List<NewEvent> events)
    {
        if (await db.Messages.AnyAsync(m => m.TenantId == entry.TenantId && m.SessionId == entry.SessionId && m.ExternalId == entry.ExternalId))
        {
            return LedgerWrite.Unchanged; // handed over again: stored and announced the first time
        }
        var row = new MessageRecord
        {
            TenantId = entry.TenantId,
            SessionId = entry.SessionId,
            Id = RecordIds.NewMessageId(),
            Direction = (int)Message.Types.Direction.Inbound,
            Chat = entry.Chat,
            ExternalId = entry.ExternalId,
            Content = entry.ContentJson,
            State = (int)Message.Types.State.Received,
            CreateTime = entry.Time,
            UpdateTime = entry.Time,
            SendTime = entry.SendTime,
        };
        db.Messages.Add(row);
        var message = row.ToProto();
        events.Add(new NewEvent(entry.TenantId, entry.SessionId, new Event
        {
            Type = EventType.MessageReceived,
            Time = message.CreateTime,
            Message = message,
        }));
        return LedgerWrite.Applied(message);
    }

    private static LedgerWrite Announced(SessionEventEntry entry, List<NewEvent> events)
    {
        events.Add(new NewEvent(entry.TenantId, entry.SessionId, entry.Event));
        return LedgerWrite.Unchanged;
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

    /// <summary>Waits for the writes in flight; an idle ledger holds nothing to release.</summary>
    public async ValueTask DisposeAsync()
    {
        await _claims.DisposeAsync();
        await _writes.DisposeAsync();
    }
}
