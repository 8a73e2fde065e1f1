using Microsoft.EntityFrameworkCore;
using Wagate.Contracts.Message.V1;
using Wagate.Core;
using Wagate.Data.Entities;
using Wagate.Data.Events;

namespace Wagate.Data.Messages;

/// <summary>The gateway's side of messages: accepting sends into the outbox, reading messages
/// back. Every query is scoped to one tenant (and session).</summary>
public sealed class GatewayMessageStore(WagateDbContext db)
{
    /// <summary>Stores an outbound message as QUEUED and appends its MESSAGE_STATUS_CHANGED
    /// event, in one transaction. With a <paramref name="requestId"/> that the session already
    /// used, returns that message instead, also when many calls with it race: the unique index
    /// lets one insert win, and the others read the winner's row. A caller that expects retries
    /// looks the request id up first (<see cref="GetByRequestIdAsync"/>): this insert does not.</summary>
    /// <param name="content">What to send, without inline media data (see
    /// <see cref="MessageContents.WithoutInlineData"/>).</param>
    /// <param name="messageId">The new message's id, when the caller needed it before (to store
    /// its media under); a new one when null.</param>
    /// <param name="typing">How long to show "typing..." before sending it; the worker's default when null.</param>
    public Task<AcceptedMessage> AcceptAsync(
        string tenantId, string sessionId, string? requestId, string chat, Content content, DateTime now,
        string? messageId = null, TimeSpan? typing = null, CancellationToken cancellationToken = default) =>
        AcceptAsync(new OutboundSend(tenantId, sessionId, requestId, chat, content, now, messageId ?? RecordIds.NewMessageId(), typing), cancellationToken);

    /// <summary>Accepts many sends in one transaction, a group commit: each is durable once this
    /// returns, and the group costs one commit and one round trip per statement instead of that
    /// for every send. When the group's transaction fails (a request id taken by a concurrent
    /// call, a session deleted meanwhile), each send is accepted on its own, so one send's problem
    /// costs the others only the second try.</summary>
    /// <returns>Per send, in order: its accepted message, or the error that refused it.</returns>
    public async Task<IReadOnlyList<Task<AcceptedMessage>>> AcceptAllAsync(IReadOnlyList<OutboundSend> sends, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(sends);
        if (sends.Count > 1)
        {
            var rows = sends.Select(RowOf).ToList();
            // One save for the messages, their events and deliveries, and no savepoint around it:
            // a failed group is retried send by send anyway.
            db.Database.AutoSavepointsEnabled = false;
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            try
            {
                db.Messages.AddRange(rows);
                var messages = rows.Select(r => r.ToProto()).ToList();
                await new EventLog(db).AppendAllAsync(
                    [.. messages.Select((message, i) => new NewEvent(rows[i].TenantId, rows[i].SessionId, QueuedEvent(message)))], cancellationToken);
                await transaction.CommitAsync(cancellationToken);
                return [.. messages.Select(m => Task.FromResult(new AcceptedMessage(m, Created: true)))];
            }
            catch (DbUpdateException)
            {
                await transaction.RollbackAsync(cancellationToken);
                PendingChanges.Discard(db);
            }
            catch
            {
                PendingChanges.Discard(db);
                throw;
            }
        }
        var outcomes = new List<Task<AcceptedMessage>>(sends.Count);
        foreach (var send in sends)
        {
            try
            {
                outcomes.Add(Task.FromResult(await AcceptAsync(send, cancellationToken)));
            }
            catch (Exception refused) when (refused is not OperationCanceledException)
            {
                outcomes.Add(Task.FromException<AcceptedMessage>(refused));
            }
        }
        return outcomes;
    }

    private async Task<AcceptedMessage> AcceptAsync(OutboundSend send, CancellationToken cancellationToken)
    {
        var row = RowOf(send);
        db.Database.AutoSavepointsEnabled = false; // the transaction is the send's own: rolled back whole
        await using (var transaction = await db.Database.BeginTransactionAsync(cancellationToken))
        {
            try
            {
                db.Messages.Add(row); // saved with its event
                var message = row.ToProto();
                await new EventLog(db).AppendAsync(send.TenantId, send.SessionId, QueuedEvent(message), cancellationToken);
                await transaction.CommitAsync(cancellationToken);
                return new AcceptedMessage(message, Created: true);
            }
            catch (DbUpdateException exception) when (row.RequestId is not null && DbErrors.IsUniqueViolation(exception))
            {
                // A concurrent call with the same request id committed first; fall through to
                // read its message outside this (aborted) transaction.
                await transaction.RollbackAsync(cancellationToken);
                PendingChanges.Discard(db);
            }
            catch
            {
                PendingChanges.Discard(db);
                throw;
            }
        }
        var winner = await FindByRequestIdAsync(send.TenantId, send.SessionId, row.RequestId!, cancellationToken)
            ?? throw new InvalidOperationException("A message with this request id collided but cannot be found.");
        return new AcceptedMessage(winner.ToProto(), Created: false);
    }

    private static MessageRecord RowOf(OutboundSend send)
    {
        var time = DbTimes.Normalize(send.Now);
        return new MessageRecord
        {
            TenantId = send.TenantId,
            SessionId = send.SessionId,
            Id = send.MessageId,
            Direction = (int)Message.Types.Direction.Outbound,
            Chat = send.Chat,
            RequestId = string.IsNullOrEmpty(send.RequestId) ? null : send.RequestId,
            Content = StoredContent.ToJson(send.Content),
            TypingMillis = send.Typing is { } shown ? (int)shown.TotalMilliseconds : null,
            State = (int)Message.Types.State.Queued,
            CreateTime = time,
            UpdateTime = time,
        };
    }

    private static Event QueuedEvent(Message message) => new()
    {
        Type = EventType.MessageStatusChanged,
        Time = message.CreateTime,
        Message = message,
    };

    public async Task<Message?> GetAsync(string tenantId, string sessionId, string messageId, CancellationToken cancellationToken = default) =>
        (await FindAsync(tenantId, sessionId, messageId, cancellationToken))?.Message;

    /// <summary>The message and the id WhatsApp knows it by (a received message's own WhatsApp
    /// id; a sent message's resource id), or null when the session has no such message.</summary>
    public async Task<StoredMessage?> FindAsync(string tenantId, string sessionId, string messageId, CancellationToken cancellationToken = default)
    {
        var row = await db.Messages.AsNoTracking()
            .SingleOrDefaultAsync(m => m.TenantId == tenantId && m.SessionId == sessionId && m.Id == messageId, cancellationToken);
        return row is null ? null : new StoredMessage(row.ToProto(), row.ExternalId ?? row.Id);
    }

    /// <summary>Records when the session read a received message, unless it did before.</summary>
    public async Task<Message> RecordReadAsync(string tenantId, string sessionId, string messageId, DateTime time, CancellationToken cancellationToken = default)
    {
        var at = DbTimes.Normalize(time);
        await db.Messages
            .Where(m => m.TenantId == tenantId && m.SessionId == sessionId && m.Id == messageId
                && m.Direction == (int)Message.Types.Direction.Inbound && m.ReadTime == null)
            .ExecuteUpdateAsync(set => set.SetProperty(m => m.ReadTime, at).SetProperty(m => m.UpdateTime, at), cancellationToken);
        return await GetAsync(tenantId, sessionId, messageId, cancellationToken)
            ?? throw new InvalidOperationException($"Message {messageId} of {tenantId}/{sessionId} vanished while being marked read.");
    }

    /// <summary>A page of the session's messages that pass <paramref name="filter"/>, newest
    /// first (by create time, then id), starting after <paramref name="after"/>.</summary>
    public async Task<MessagePage> ListAsync(
        string tenantId, string sessionId, MessageFilter filter, MessagePageToken? after, int pageSize,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(filter);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(pageSize);
        var query = Filtered(db.Messages.AsNoTracking().Where(m => m.TenantId == tenantId && m.SessionId == sessionId), filter);
        if (after is not null)
        {
            var time = DbTimes.Normalize(after.CreateTime);
            var id = after.Id;
            query = query.Where(m => m.CreateTime < time || (m.CreateTime == time && m.Id.CompareTo(id) < 0));
        }
        // One row more than asked tells whether there is a next page without a second query.
        var rows = await query.OrderByDescending(m => m.CreateTime).ThenByDescending(m => m.Id)
            .Take(pageSize + 1).ToListAsync(cancellationToken);
        var page = rows.Take(pageSize).ToList();
        var next = rows.Count > pageSize ? new MessagePageToken(DbTimes.Utc(page[^1].CreateTime), page[^1].Id) : null;
        return new MessagePage(page.Select(r => r.ToProto()).ToList(), next);
    }

    /// <summary>The tenant's outbound messages accepted at or after <paramref name="since"/>,
    /// across its sessions: what the daily quota counts.</summary>
    public Task<int> CountOutboundSinceAsync(string tenantId, DateTime since, CancellationToken cancellationToken = default)
    {
        var from = DbTimes.Normalize(since);
        return db.Messages.CountAsync(
            m => m.TenantId == tenantId && m.Direction == (int)Message.Types.Direction.Outbound && m.CreateTime >= from,
            cancellationToken);
    }

    /// <summary>The message the session accepted with <paramref name="requestId"/>, if any: a
    /// retry is answered with it before anything else is checked.</summary>
    public async Task<Message?> GetByRequestIdAsync(string tenantId, string sessionId, string requestId, CancellationToken cancellationToken = default) =>
        (await FindByRequestIdAsync(tenantId, sessionId, requestId, cancellationToken))?.ToProto();

    private Task<MessageRecord?> FindByRequestIdAsync(string tenantId, string sessionId, string requestId, CancellationToken cancellationToken) =>
        db.Messages.AsNoTracking().SingleOrDefaultAsync(
            m => m.TenantId == tenantId && m.SessionId == sessionId && m.RequestId == requestId, cancellationToken);

    private static IQueryable<MessageRecord> Filtered(IQueryable<MessageRecord> query, MessageFilter filter)
    {
        if (filter.Direction is { } direction)
        {
            query = query.Where(m => m.Direction == (int)direction);
        }
        if (filter.State is { } state)
        {
            query = query.Where(m => m.State == (int)state);
        }
        if (filter.Chat is { } chat)
        {
            query = query.Where(m => m.Chat == chat);
        }
        if (filter.MinCreateTime is { } min)
        {
            var time = DbTimes.Normalize(min.Time);
            query = min.Inclusive ? query.Where(m => m.CreateTime >= time) : query.Where(m => m.CreateTime > time);
        }
        if (filter.MaxCreateTime is { } max)
        {
            var time = DbTimes.Normalize(max.Time);
            query = max.Inclusive ? query.Where(m => m.CreateTime <= time) : query.Where(m => m.CreateTime < time);
        }
        return query;
    }
}
