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
/// the largest token that claimed the session, and a transaction first checks the tokens of
/// every session it writes to under a lock (see <see cref="SessionFence"/>); an entry whose writer
/// was fenced out writes nothing.</summary>
public sealed class WorkerMessageLedger : IWorkerMessageLedger, IAsyncDisposable
{
    private readonly IDbContextFactory<WagateDbContext> _contexts;
    private readonly GroupCommit<Entry, IReadOnlyList<LedgerWrite>> _writes;

    public WorkerMessageLedger(IDbContextFactory<WagateDbContext> contexts)
    {
        _contexts = contexts;
        _writes = new GroupCommit<Entry, IReadOnlyList<LedgerWrite>>(CommitAsync, writers: 2, maxGroup: 256, stopping: "The worker is stopping.");
    }

    public async Task<bool> ClaimSessionAsync(string tenantId, string sessionId, long fencingToken, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(fencingToken);
        await using var db = await _contexts.CreateDbContextAsync(cancellationToken);
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
    /// one transaction.</summary>
    private async Task<IReadOnlyList<LedgerWrite>[]> WriteAsync(IReadOnlyList<Entry> entries)
    {
        await using var db = await _contexts.CreateDbContextAsync();
        await using var transaction = await db.Database.BeginTransactionAsync();
        var owners = await SessionFence.HoldAllAsync(db, [.. entries.Select(e => (e.TenantId, e.SessionId))], CancellationToken.None);
        var writes = new IReadOnlyList<LedgerWrite>[entries.Count];
        var owned = entries.Select(e => owners.TryGetValue((e.TenantId, e.SessionId), out var owner) && owner == e.FencingToken).ToArray();
        // The group's status reports first, all in one go; their events still go in the entries' order.
        var updates = entries.Select((e, i) => (Entry: e, Owned: owned[i])).Where(e => e.Owned).Select(e => e.Entry).OfType<StatusEntry>()
            .SelectMany(e => e.Reports.Select(r => new MessageStatusUpdates.Update(e.TenantId, e.SessionId, r))).ToList();
        var updated = await MessageStatusUpdates.ApplyAsync(db, updates);
        var nextUpdate = 0;
        var events = new List<NewEvent>();
        var received = new HashSet<(string, string, string)>();
        for (var i = 0; i < entries.Count; i++)
        {
            var entry = entries[i];
            if (!owned[i])
            {
                writes[i] = entry is StatusEntry fenced ? [.. fenced.Reports.Select(_ => LedgerWrite.FencedOut)] : [LedgerWrite.FencedOut];
                continue;
            }
            writes[i] = entry switch
            {
                StatusEntry status => [.. status.Reports.Select(report => Announced(status, report, updated[nextUpdate++], events))],
                InboundEntry inbound => [received.Add((inbound.TenantId, inbound.SessionId, inbound.ExternalId))
                    ? await ApplyAsync(db, inbound, events)
                    : LedgerWrite.Unchanged], // the same message twice in one group: the first stores it
                SessionEventEntry sessionEvent => [await ApplyAsync(db, sessionEvent, events)],
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
        await transaction.CommitAsync();
        return writes;
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

    private static async Task<LedgerWrite> ApplyAsync(WagateDbContext db, SessionEventEntry entry, List<NewEvent> events)
    {
        events.Add(new NewEvent(entry.TenantId, entry.SessionId, entry.Event));
        if (entry.Event.SessionState is { } change)
        {
            await RecordStateAsync(db, entry.TenantId, entry.SessionId, change, entry.Event.Time.ToDateTime(), CancellationToken.None);
        }
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
    public ValueTask DisposeAsync() => _writes.DisposeAsync();
}
