using System.Globalization;
using System.Runtime.CompilerServices;
using Google.Protobuf;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Wagate.Contracts.Message.V1;
using Wagate.Core;
using Wagate.Data.Entities;
using Wagate.Data.Webhooks;

namespace Wagate.Data.Events;

/// <summary>A tenant's event log: appended inside the transaction of the change it records, read
/// from a cursor. Later events have larger cursors as any reader sees them: a reader that resumes
/// after cursor N never misses an event that commits later. How, per provider, is in the README
/// of this project ("The event log").</summary>
public sealed class EventLog(WagateDbContext db)
{
    /// <summary>On PostgreSQL a cursor is the appending transaction's id shifted left by this
    /// many bits, plus the event's ordinal in that transaction: 2^20 events a transaction, and
    /// transaction ids up to 2^43 (at 10,000 transactions a second, 27 years).</summary>
    private const int OrdinalBits = 20;

    /// <summary>What each open PostgreSQL transaction has appended so far, by EF's transaction,
    /// which is new for every transaction begun (Npgsql's own transaction objects are not: they
    /// are reused across the transactions of a pooled connection).</summary>
    private static readonly ConditionalWeakTable<IDbContextTransaction, AppendedInTransaction> Appended = new();

    /// <summary>Appends <paramref name="event"/> to the tenant's log, and queues a delivery of it
    /// to every webhook of the tenant whose filters match, all in the caller's open transaction:
    /// the event exists if and only if the change it records commits. The event's session is set
    /// from <paramref name="sessionId"/> and its cursor from the log. On SQLite, whose writers take
    /// turns anyway, the tenant's other appenders wait from here to the commit; on PostgreSQL none
    /// waits for another.</summary>
    /// <returns>The event's cursor.</returns>
    public async Task<long> AppendAsync(string tenantId, string sessionId, Event @event, CancellationToken cancellationToken = default) =>
        (await AppendAllAsync([new NewEvent(tenantId, sessionId, @event)], cancellationToken))[0];

    /// <summary><see cref="AppendAsync"/> for many events, of any tenants, in the order given:
    /// one read of their tenants' webhooks and one save.</summary>
    /// <returns>The events' cursors, in the same order.</returns>
    public async Task<IReadOnlyList<long>> AppendAllAsync(IReadOnlyList<NewEvent> events, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(events);
        if (db.Database.CurrentTransaction is null)
        {
            // The cursor must be taken inside the transaction that commits the event: its id, or
            // the tenant row's lock, is what orders the event against readers.
            throw new InvalidOperationException("Events are appended inside the transaction of the change they record.");
        }
        if (events.Any(e => e.Event is null || e.Event.Type == EventType.Unspecified || e.Event.Time is null))
        {
            throw new ArgumentException("An event needs a type and a time.", nameof(events));
        }
        var webhooks = await WebhooksOfAsync([.. events.Select(e => e.TenantId).Distinct()], cancellationToken);
        var cursors = new List<long>(events.Count);
        foreach (var (tenantId, sessionId, @event) in events)
        {
            var cursor = await NextCursorAsync(tenantId, cancellationToken);
            cursors.Add(cursor);
            var stored = @event.Clone();
            stored.Cursor = ""; // the column is the one source of the cursor
            stored.Session = ResourceNames.Session(tenantId, sessionId);
            var time = DbTimes.Normalize(@event.Time.ToDateTime());
            db.Events.Add(new EventRecord
            {
                TenantId = tenantId,
                Cursor = cursor,
                Type = (int)@event.Type,
                SessionId = sessionId,
                Time = time,
                Payload = JsonFormatter.Default.Format(stored),
            });
            QueueDeliveries(tenantId, sessionId, @event.Type, cursor, time, webhooks[tenantId]);
        }
        await db.SaveChangesAsync(cancellationToken);
        return cursors;
    }

    /// <summary>Up to <paramref name="limit"/> events after <paramref name="afterCursor"/> (0: from
    /// the start) that pass <paramref name="filter"/>, in cursor order, cursors set.</summary>
    public async Task<IReadOnlyList<Event>> ReadAfterAsync(
        string tenantId, long afterCursor, EventFilter filter, int limit, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(filter);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limit);
        var query = db.Events.AsNoTracking().Where(e => e.TenantId == tenantId && e.Cursor > afterCursor);
        if (db.Database.IsNpgsql())
        {
            // Taken before the rows are read: every transaction older than the horizon has ended,
            // so the events below it are all there is below it, now and later.
            var horizon = await VisibleHorizonAsync(cancellationToken);
            query = query.Where(e => e.Cursor < horizon);
        }
        if (filter.Types.Count > 0)
        {
            var types = filter.Types.Select(t => (int)t).ToArray();
            query = query.Where(e => types.Contains(e.Type));
        }
        if (filter.SessionIds.Count > 0)
        {
            var sessions = filter.SessionIds.ToArray();
            query = query.Where(e => sessions.Contains(e.SessionId));
        }
        var rows = await query.OrderBy(e => e.Cursor).Take(limit).ToListAsync(cancellationToken);
        return rows.Select(ToProto).ToList();
    }

    /// <summary>Deletes every tenant's events that happened before <paramref name="before"/>, with
    /// their webhook deliveries. Cursors are never reused: the tenants keep their last cursor.</summary>
    /// <returns>How many events went.</returns>
    public Task<int> PruneAsync(DateTime before, CancellationToken cancellationToken = default)
    {
        var cutoff = DbTimes.Normalize(before);
        return db.Events.Where(e => e.Time < cutoff).ExecuteDeleteAsync(cancellationToken);
    }

    internal static Event ToProto(EventRecord row)
    {
        var @event = StoredJson.Parser.Parse<Event>(row.Payload);
        @event.Cursor = row.Cursor.ToString(CultureInfo.InvariantCulture);
        return @event;
    }

    /// <summary>PostgreSQL: the transaction's id and the event's ordinal in it, so a tenant's
    /// appenders never wait for each other. SQLite: the tenant's next number.</summary>
    private async Task<long> NextCursorAsync(string tenantId, CancellationToken cancellationToken)
    {
        if (!db.Database.IsNpgsql())
        {
            return await NextTenantCursorAsync(tenantId, cancellationToken);
        }
        var appended = Appended.GetValue(db.Database.CurrentTransaction!, _ => new AppendedInTransaction());
        if (appended.TransactionId == 0)
        {
            // pg_current_xact_id() gives the transaction an id if it has none yet: the id it commits under.
            appended.TransactionId = (await db.Database.SqlQuery<long>($"""
                SELECT pg_current_xact_id()::text::bigint AS "Value"
                """).ToListAsync(cancellationToken))[0];
        }
        if (++appended.Count >= 1 << OrdinalBits)
        {
            throw new InvalidOperationException($"A transaction appends at most {(1 << OrdinalBits) - 1} events.");
        }
        return (appended.TransactionId << OrdinalBits) + appended.Count;
    }

    /// <summary>PostgreSQL: the smallest cursor an event may still get, from the oldest
    /// transaction still running (the current snapshot's xmin): events of older transactions
    /// have all committed or rolled back, and newer transactions have larger ids.</summary>
    private async Task<long> VisibleHorizonAsync(CancellationToken cancellationToken) =>
        (await db.Database.SqlQuery<long>($"""
            SELECT pg_snapshot_xmin(pg_current_snapshot())::text::bigint AS "Value"
            """).ToListAsync(cancellationToken))[0] << OrdinalBits;

    /// <summary>SQLite: raises the tenant's last cursor and returns it, under the database's one
    /// write lock, so the tenant's appenders take cursors in the order they commit.</summary>
    private async Task<long> NextTenantCursorAsync(string tenantId, CancellationToken cancellationToken)
    {
        var cursors = await db.Database.SqlQuery<long>($"""
            UPDATE tenants SET "LastEventCursor" = "LastEventCursor" + 1
            WHERE "Id" = {tenantId}
            RETURNING "LastEventCursor" AS "Value"
            """).ToListAsync(cancellationToken);
        return cursors is [var cursor]
            ? cursor
            : throw new InvalidOperationException($"Tenant {tenantId} does not exist.");
    }

    private sealed class AppendedInTransaction
    {
        /// <summary>PostgreSQL's id of the transaction.</summary>
        public long TransactionId;
        public int Count;
    }

    private sealed record TenantWebhook(string Id, string EventTypes, string Sessions);

    /// <summary>The webhooks of each of <paramref name="tenantIds"/>, in one read (a group of a
    /// worker's writes spans many tenants). A tenant has a handful: matching their small filter
    /// lists here is simpler than list matching in two SQL dialects.</summary>
    private async Task<Dictionary<string, List<TenantWebhook>>> WebhooksOfAsync(IReadOnlyCollection<string> tenantIds, CancellationToken cancellationToken)
    {
        var found = await db.Webhooks.AsNoTracking()
            .Where(w => tenantIds.Contains(w.TenantId))
            .Select(w => new { w.TenantId, Webhook = new TenantWebhook(w.Id, w.EventTypes, w.Sessions) })
            .ToListAsync(cancellationToken);
        var byTenant = tenantIds.ToDictionary(t => t, _ => new List<TenantWebhook>(), StringComparer.Ordinal);
        foreach (var webhook in found)
        {
            byTenant[webhook.TenantId].Add(webhook.Webhook);
        }
        return byTenant;
    }

    private void QueueDeliveries(string tenantId, string sessionId, EventType type, long cursor, DateTime time, List<TenantWebhook> webhooks)
    {
        foreach (var webhook in webhooks.Where(w => WebhookFilters.Matches(w.EventTypes, w.Sessions, type, sessionId)))
        {
            db.WebhookDeliveries.Add(new WebhookDeliveryRecord
            {
                TenantId = tenantId,
                WebhookId = webhook.Id,
                EventCursor = cursor,
                State = (int)Contracts.Webhook.V1.WebhookDelivery.Types.State.Pending,
                NextAttemptTime = time,
                CreateTime = time,
                UpdateTime = time,
            });
        }
    }
}

/// <summary>An event to append to its tenant's log, for its session.</summary>
public sealed record NewEvent(string TenantId, string SessionId, Event Event);
