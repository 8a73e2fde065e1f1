using System.Buffers.Text;
using System.Security.Cryptography;
using Microsoft.EntityFrameworkCore;
using Wagate.Contracts.Message.V1;
using Wagate.Contracts.Webhook.V1;
using Wagate.Data.Entities;
using Wagate.Data.Events;

namespace Wagate.Data.Webhooks;

/// <summary>A tenant's webhooks and their deliveries. Events fan out to deliveries as they are
/// appended (<see cref="EventLog"/>); senders claim due deliveries here, POST them and record
/// each attempt. Every query is scoped to one tenant, except <see cref="ClaimDueAsync"/>: the
/// senders serve every tenant, and what they claim carries its tenant into every later write.</summary>
public sealed class WebhookStore(WagateDbContext db, WebhookSecretCipher cipher)
{
    private const int PendingState = (int)WebhookDelivery.Types.State.Pending;

    /// <summary>Creates a webhook with a new signing secret. The result carries the secret: the
    /// only time it is shown.</summary>
    /// <param name="eventTypes">Types to deliver; empty for all.</param>
    /// <param name="sessionIds">Session ids (not names) to deliver events of; empty for all.</param>
    public async Task<Webhook> CreateAsync(
        string tenantId, string url, IReadOnlyCollection<EventType> eventTypes, IReadOnlyCollection<string> sessionIds, DateTime now,
        CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(url);
        ArgumentNullException.ThrowIfNull(eventTypes);
        ArgumentNullException.ThrowIfNull(sessionIds);
        if (sessionIds.Any(s => s.Length == 0 || s.Any(char.IsWhiteSpace)))
        {
            throw new ArgumentException("Session ids are not empty and have no spaces.", nameof(sessionIds));
        }
        var id = RecordIds.NewWebhookId();
        var secret = "whsec_" + Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));
        var row = new WebhookRecord
        {
            TenantId = tenantId,
            Id = id,
            Url = url,
            EventTypes = WebhookFilters.EncodeTypes(eventTypes),
            Sessions = WebhookFilters.EncodeSessions(sessionIds),
            SecretCiphertext = cipher.Encrypt(tenantId, id, secret),
            CreateTime = DbTimes.Normalize(now),
        };
        db.Webhooks.Add(row);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch
        {
            PendingChanges.Discard(db);
            throw;
        }
        db.Entry(row).State = EntityState.Detached;
        var webhook = WebhookMapping.ToProto(row);
        webhook.Secret = secret;
        return webhook;
    }

    public async Task<Webhook?> GetAsync(string tenantId, string webhookId, CancellationToken cancellationToken = default)
    {
        var row = await db.Webhooks.AsNoTracking().SingleOrDefaultAsync(w => w.TenantId == tenantId && w.Id == webhookId, cancellationToken);
        return row is null ? null : WebhookMapping.ToProto(row);
    }

    /// <summary>The tenant's webhooks, oldest first (ids are time-ordered), after <paramref name="afterId"/>.</summary>
    public async Task<WebhookPage> ListAsync(string tenantId, string? afterId, int pageSize, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(pageSize);
        var query = db.Webhooks.AsNoTracking().Where(w => w.TenantId == tenantId);
        if (afterId is not null)
        {
            query = query.Where(w => w.Id.CompareTo(afterId) > 0);
        }
        var rows = await query.OrderBy(w => w.Id).Take(pageSize + 1).ToListAsync(cancellationToken);
        var page = rows.Take(pageSize).ToList();
        return new WebhookPage(page.Select(WebhookMapping.ToProto).ToList(), rows.Count > pageSize ? page[^1].Id : null);
    }

    /// <summary>Deletes a webhook with its deliveries and their attempts (the foreign keys cascade).</summary>
    /// <returns>False when the tenant has no such webhook.</returns>
    public async Task<bool> DeleteAsync(string tenantId, string webhookId, CancellationToken cancellationToken = default) =>
        await db.Webhooks.Where(w => w.TenantId == tenantId && w.Id == webhookId).ExecuteDeleteAsync(cancellationToken) == 1;

    /// <summary>Claims up to <paramref name="limit"/> pending deliveries that are due at
    /// <paramref name="now"/>, oldest due first, for <paramref name="claimFor"/>: no other sender
    /// gets them until the claim runs out or the attempt is recorded. On PostgreSQL the rows are
    /// picked FOR UPDATE SKIP LOCKED, so gateway replicas claiming at once take disjoint sets
    /// without waiting on each other; on SQLite the claim runs under the database's one write lock.</summary>
    public async Task<IReadOnlyList<ClaimedWebhookDelivery>> ClaimDueAsync(
        DateTime now, TimeSpan claimFor, int limit, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limit);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(claimFor, TimeSpan.Zero);
        var at = DbTimes.Normalize(now);
        var until = DbTimes.Normalize(now + claimFor);
        var claimToken = RecordIds.NewClaimToken();
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        List<WebhookDeliveryRecord> due = [];
        try
        {
            due = db.Database.IsNpgsql()
                ? await db.WebhookDeliveries.FromSql($"""
                    SELECT * FROM webhook_deliveries
                    WHERE "State" = 1 AND "NextAttemptTime" <= {at} AND ("ClaimedUntil" IS NULL OR "ClaimedUntil" <= {at})
                    ORDER BY "NextAttemptTime"
                    LIMIT {limit}
                    FOR UPDATE SKIP LOCKED
                    """).AsTracking().ToListAsync(cancellationToken)
                : await db.WebhookDeliveries.AsTracking()
                    .Where(d => d.State == PendingState && d.NextAttemptTime <= at && (d.ClaimedUntil == null || d.ClaimedUntil <= at))
                    .OrderBy(d => d.NextAttemptTime)
                    .Take(limit)
                    .ToListAsync(cancellationToken);
            if (due.Count == 0)
            {
                return [];
            }
            foreach (var delivery in due)
            {
                delivery.ClaimToken = claimToken;
                delivery.ClaimedUntil = until;
            }
            await db.SaveChangesAsync(cancellationToken);

            // Supersets by tenant and by id, narrowed in memory: the claimed rows span tenants,
            // and composite keys do not translate to one IN list on both providers.
            var tenantIds = due.Select(d => d.TenantId).Distinct().ToList();
            var webhookIds = due.Select(d => d.WebhookId).Distinct().ToList();
            var cursors = due.Select(d => d.EventCursor).Distinct().ToList();
            var webhooks = (await db.Webhooks.AsNoTracking()
                    .Where(w => tenantIds.Contains(w.TenantId) && webhookIds.Contains(w.Id))
                    .ToListAsync(cancellationToken))
                .ToDictionary(w => (w.TenantId, w.Id));
            var events = (await db.Events.AsNoTracking()
                    .Where(e => tenantIds.Contains(e.TenantId) && cursors.Contains(e.Cursor))
                    .ToListAsync(cancellationToken))
                .ToDictionary(e => (e.TenantId, e.Cursor));
            await transaction.CommitAsync(cancellationToken);

            return due.Select(d =>
            {
                var webhook = webhooks[(d.TenantId, d.WebhookId)];
                return new ClaimedWebhookDelivery(
                    d.TenantId, d.WebhookId, d.EventCursor, webhook.Url,
                    cipher.Decrypt(d.TenantId, d.WebhookId, webhook.SecretCiphertext),
                    EventLog.ToProto(events[(d.TenantId, d.EventCursor)]),
                    d.AttemptCount, DbTimes.Utc(d.CreateTime), claimToken, until);
            }).ToList();
        }
        catch
        {
            PendingChanges.Discard(db);
            throw;
        }
        finally
        {
            // The claimed rows were tracked only to be updated; the caller's context keeps
            // nothing of this unit of work.
            foreach (var delivery in due)
            {
                db.Entry(delivery).State = EntityState.Detached;
            }
        }
    }

    /// <summary>Records one attempt of a delivery. The attempt is always kept (it happened); the
    /// delivery's state and next attempt time change only while <paramref name="claimToken"/>
    /// still holds it: a delivery reset for redelivery, or whose claim ran out and was taken,
    /// belongs to whoever holds it now.</summary>
    /// <returns>Whether the claim still held, so the outcome was applied.</returns>
    public async Task<bool> RecordAttemptAsync(
        string tenantId, string webhookId, long eventCursor, string claimToken, WebhookAttemptOutcome outcome,
        CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(claimToken);
        ArgumentNullException.ThrowIfNull(outcome);
        if (outcome.NewState == WebhookDelivery.Types.State.Unspecified
            || (outcome.NewState == WebhookDelivery.Types.State.Pending) != outcome.NextAttemptTime.HasValue)
        {
            throw new ArgumentException("A pending delivery needs its next attempt time; a finished one has none.", nameof(outcome));
        }
        var time = DbTimes.Normalize(outcome.Time);
        var next = outcome.NextAttemptTime is { } value ? DbTimes.Normalize(value) : (DateTime?)null;
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        // Numbering through the row: the UPDATE locks it, so concurrent recorders of one
        // delivery (a stale sender and the current one) take distinct numbers.
        var numbers = await db.Database.SqlQuery<int>($"""
            UPDATE webhook_deliveries SET "AttemptCount" = "AttemptCount" + 1
            WHERE "TenantId" = {tenantId} AND "WebhookId" = {webhookId} AND "EventCursor" = {eventCursor}
            RETURNING "AttemptCount" AS "Value"
            """).ToListAsync(cancellationToken);
        if (numbers is not [var number])
        {
            return false; // the webhook (and with it the delivery) was deleted meanwhile
        }
        var attempt = new WebhookAttemptRecord
        {
            TenantId = tenantId,
            WebhookId = webhookId,
            EventCursor = eventCursor,
            Number = number,
            Time = time,
            LatencyMs = (int)Math.Clamp(outcome.Latency.TotalMilliseconds, 0, int.MaxValue),
            ResponseCode = outcome.ResponseCode,
            Error = outcome.Error.Length <= Limits.ReasonLength ? outcome.Error : outcome.Error[..Limits.ReasonLength],
        };
        db.WebhookAttempts.Add(attempt);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        finally
        {
            db.Entry(attempt).State = EntityState.Detached;
        }
        var applied = await db.WebhookDeliveries
            .Where(d => d.TenantId == tenantId && d.WebhookId == webhookId && d.EventCursor == eventCursor && d.ClaimToken == claimToken)
            .ExecuteUpdateAsync(set => set
                .SetProperty(d => d.State, (int)outcome.NewState)
                .SetProperty(d => d.NextAttemptTime, next)
                .SetProperty(d => d.ClaimToken, (string?)null)
                .SetProperty(d => d.ClaimedUntil, (DateTime?)null)
                .SetProperty(d => d.UpdateTime, time), cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return applied == 1;
    }

    /// <summary>A page of the webhook's deliveries, newest first, each with its event and its
    /// attempts, before <paramref name="beforeCursor"/> (null: from the newest).</summary>
    public async Task<WebhookDeliveryPage> ListDeliveriesAsync(
        string tenantId, string webhookId, long? beforeCursor, int pageSize, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(pageSize);
        var query = db.WebhookDeliveries.AsNoTracking().Where(d => d.TenantId == tenantId && d.WebhookId == webhookId);
        if (beforeCursor is { } before)
        {
            query = query.Where(d => d.EventCursor < before);
        }
        var rows = await query.OrderByDescending(d => d.EventCursor).Take(pageSize + 1).ToListAsync(cancellationToken);
        var page = rows.Take(pageSize).ToList();
        var deliveries = await WithDetailsAsync(tenantId, webhookId, page, cancellationToken);
        return new WebhookDeliveryPage(deliveries, rows.Count > pageSize ? page[^1].EventCursor : null);
    }

    /// <summary>Makes a delivery pending and due at <paramref name="now"/>, whatever became of it
    /// before; a sender still holding it keeps its attempt on record but no longer settles it.</summary>
    /// <returns>The delivery as it is now, or null when the tenant has no such delivery.</returns>
    public async Task<WebhookDelivery?> RedeliverAsync(
        string tenantId, string webhookId, long eventCursor, DateTime now, CancellationToken cancellationToken = default)
    {
        var at = DbTimes.Normalize(now);
        var reset = await db.WebhookDeliveries
            .Where(d => d.TenantId == tenantId && d.WebhookId == webhookId && d.EventCursor == eventCursor)
            .ExecuteUpdateAsync(set => set
                .SetProperty(d => d.State, PendingState)
                .SetProperty(d => d.NextAttemptTime, at)
                .SetProperty(d => d.ClaimToken, (string?)null)
                .SetProperty(d => d.ClaimedUntil, (DateTime?)null)
                .SetProperty(d => d.UpdateTime, at), cancellationToken);
        if (reset == 0)
        {
            return null;
        }
        var row = await db.WebhookDeliveries.AsNoTracking().SingleAsync(
            d => d.TenantId == tenantId && d.WebhookId == webhookId && d.EventCursor == eventCursor, cancellationToken);
        return (await WithDetailsAsync(tenantId, webhookId, [row], cancellationToken))[0];
    }

    private async Task<IReadOnlyList<WebhookDelivery>> WithDetailsAsync(
        string tenantId, string webhookId, List<WebhookDeliveryRecord> rows, CancellationToken cancellationToken)
    {
        if (rows.Count == 0)
        {
            return [];
        }
        var cursors = rows.Select(r => r.EventCursor).ToList();
        var attempts = (await db.WebhookAttempts.AsNoTracking()
                .Where(a => a.TenantId == tenantId && a.WebhookId == webhookId && cursors.Contains(a.EventCursor))
                .ToListAsync(cancellationToken))
            .ToLookup(a => a.EventCursor);
        var events = await db.Events.AsNoTracking()
            .Where(e => e.TenantId == tenantId && cursors.Contains(e.Cursor))
            .ToDictionaryAsync(e => e.Cursor, cancellationToken);
        return rows.Select(r => WebhookMapping.ToProto(r, events.GetValueOrDefault(r.EventCursor), attempts[r.EventCursor])).ToList();
    }
}
