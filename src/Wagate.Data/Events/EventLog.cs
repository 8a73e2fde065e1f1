using System.Globalization;
using Google.Protobuf;
using Microsoft.EntityFrameworkCore;
using Wagate.Contracts.Message.V1;
using Wagate.Core;
using Wagate.Data.Entities;
using Wagate.Data.Webhooks;

namespace Wagate.Data.Events;

/// <summary>A tenant's event log: appended inside the transaction of the change it records, read
/// from a cursor. Cursors count up from 1 per tenant, without gaps, in commit order: a reader
/// that resumes after cursor N never misses an event that commits later.</summary>
public sealed class EventLog(WagateDbContext db)
{
    /// <summary>Appends <paramref name="event"/> to the tenant's log, and queues a delivery of it
    /// to every webhook of the tenant whose filters match, all in the caller's open transaction:
    /// the event exists if and only if the change it records commits. Append last, just before
    /// committing: from here to the commit, the tenant's other appenders wait. The event's
    /// session is set from <paramref name="sessionId"/> and its cursor from the log.</summary>
    /// <returns>The event's cursor.</returns>
    public async Task<long> AppendAsync(string tenantId, string sessionId, Event @event, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(@event);
        if (db.Database.CurrentTransaction is null)
        {
            // The cursor's row lock must last until the event commits, or a later committer
            // could hold a smaller cursor than one a reader has already passed.
            throw new InvalidOperationException("Events are appended inside the transaction of the change they record.");
        }
        if (@event.Type == EventType.Unspecified || @event.Time is null)
        {
            throw new ArgumentException("An event needs a type and a time.", nameof(@event));
        }
        var cursor = await NextCursorAsync(tenantId, cancellationToken);

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
        await QueueDeliveriesAsync(tenantId, sessionId, @event.Type, cursor, time, cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        return cursor;
    }

    /// <summary>Up to <paramref name="limit"/> events after <paramref name="afterCursor"/> (0: from
    /// the start) that pass <paramref name="filter"/>, in cursor order, cursors set.</summary>
    public async Task<IReadOnlyList<Event>> ReadAfterAsync(
        string tenantId, long afterCursor, EventFilter filter, int limit, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(filter);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limit);
        var query = db.Events.AsNoTracking().Where(e => e.TenantId == tenantId && e.Cursor > afterCursor);
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

    /// <summary>Raises the tenant's last cursor and returns it. The UPDATE locks the tenant's row
    /// until the transaction ends (PostgreSQL), or runs under the database's one write lock
    /// (SQLite), so the tenant's appenders take cursors in the order they commit.</summary>
    private async Task<long> NextCursorAsync(string tenantId, CancellationToken cancellationToken)
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

    private async Task QueueDeliveriesAsync(
        string tenantId, string sessionId, EventType type, long cursor, DateTime time, CancellationToken cancellationToken)
    {
        // A tenant has a handful of webhooks: matching their small filter lists here is simpler
        // than list matching in two SQL dialects, and costs one indexed read per event.
        var webhooks = await db.Webhooks.AsNoTracking()
            .Where(w => w.TenantId == tenantId)
            .Select(w => new { w.Id, w.EventTypes, w.Sessions })
            .ToListAsync(cancellationToken);
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
