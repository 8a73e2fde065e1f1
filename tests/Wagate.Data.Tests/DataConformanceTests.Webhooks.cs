using Microsoft.EntityFrameworkCore;
using Wagate.Contracts.Message.V1;
using Wagate.Contracts.Webhook.V1;
using Wagate.Data.Webhooks;
using Xunit;
using DeliveryState = Wagate.Contracts.Webhook.V1.WebhookDelivery.Types.State;

namespace Wagate.Data.Tests;

/// <summary>Webhooks: events fan out to the webhooks whose filters match, senders claim due
/// deliveries without ever sharing one, every attempt is kept, and any delivery can go again.</summary>
public abstract partial class DataConformanceTests
{
    private static readonly byte[] WebhookKey = Enumerable.Range(1, 32).Select(i => (byte)i).ToArray();

    [Fact]
    public async Task A_webhook_shows_its_secret_once_and_reads_are_tenant_scoped()
    {
        await SeedAsync(Tenant("tn-a"), Tenant("tn-b"));

        var created = await CreateWebhookAsync("tn-a", [EventType.MessageReceived], ["s1"]);
        await using var db = NewContext();
        var store = Webhooks(db);
        var read = await store.GetAsync("tn-a", WebhookId(created));

        Assert.StartsWith("whsec_", created.Secret, StringComparison.Ordinal);
        Assert.NotNull(read);
        Assert.Equal("", read.Secret);
        Assert.Equal(created.Name, read.Name);
        Assert.Equal("https://hooks.example.com/wagate", read.Url);
        Assert.Equal([EventType.MessageReceived], read.EventTypes);
        Assert.Equal(["tenants/tn-a/sessions/s1"], read.Sessions);
        Assert.DoesNotContain(db.Webhooks.Select(w => w.SecretCiphertext).AsEnumerable(),
            c => System.Text.Encoding.UTF8.GetString(c).Contains(created.Secret, StringComparison.Ordinal));
        Assert.Null(await store.GetAsync("tn-b", WebhookId(created)));
        Assert.Empty((await store.ListAsync("tn-b", null, 10)).Webhooks);
        Assert.False(await store.DeleteAsync("tn-b", WebhookId(created)));
        Assert.NotNull(await store.GetAsync("tn-a", WebhookId(created)));
    }

    [Fact]
    public async Task Webhooks_list_oldest_first_in_pages_and_a_deleted_one_is_gone()
    {
        await SeedAsync(Tenant("tn-a"));
        var created = new List<Webhook>();
        for (var i = 0; i < 5; i++)
        {
            created.Add(await CreateWebhookAsync("tn-a", [], []));
        }
        await using var db = NewContext();
        var store = Webhooks(db);

        var first = await store.ListAsync("tn-a", null, 3);
        var second = await store.ListAsync("tn-a", first.NextAfterId, 3);
        var deleted = await store.DeleteAsync("tn-a", WebhookId(created[0]));

        Assert.Equal(created.Select(w => w.Name).Order(StringComparer.Ordinal), first.Webhooks.Concat(second.Webhooks).Select(w => w.Name));
        Assert.Null(second.NextAfterId);
        Assert.True(deleted);
        Assert.Null(await store.GetAsync("tn-a", WebhookId(created[0])));
    }

    [Fact]
    public async Task An_event_fans_out_to_the_webhooks_whose_filters_match()
    {
        await SeedAsync(Tenant("tn-a"), Tenant("tn-b"));
        var all = await CreateWebhookAsync("tn-a", [], []);
        var received = await CreateWebhookAsync("tn-a", [EventType.MessageReceived, EventType.MessageStatusChanged], []);
        var s1 = await CreateWebhookAsync("tn-a", [], ["s1"]);
        var qrOfS2 = await CreateWebhookAsync("tn-a", [EventType.SessionQrCode], ["s2", "s3"]);
        var otherTenant = await CreateWebhookAsync("tn-b", [], []);

        var qr1 = await AppendAsync("tn-a", "s1", QrEvent());
        var qr2 = await AppendAsync("tn-a", "s2", QrEvent());
        var received2 = await AppendAsync("tn-a", "s2", new Event(QrEvent()) { Type = EventType.MessageReceived });
        var state1 = await AppendAsync("tn-a", "s1", StateEvent());

        Assert.Equal([qr1, qr2, received2, state1], await DeliveryCursorsAsync("tn-a", all));
        Assert.Equal([received2], await DeliveryCursorsAsync("tn-a", received));
        Assert.Equal([qr1, state1], await DeliveryCursorsAsync("tn-a", s1));
        Assert.Equal([qr2], await DeliveryCursorsAsync("tn-a", qrOfS2));
        Assert.Empty(await DeliveryCursorsAsync("tn-b", otherTenant));
    }

    [Fact]
    public async Task A_claimed_delivery_carries_what_a_sender_needs_and_is_not_claimed_again_while_held()
    {
        await SeedAsync(Tenant("tn-a"));
        var webhook = await CreateWebhookAsync("tn-a", [], []);
        var cursor = await AppendAsync("tn-a", "s1", QrEvent());
        await using var db = NewContext();
        var store = Webhooks(db);

        var notYetDue = await store.ClaimDueAsync(T0.AddSeconds(-1), TimeSpan.FromSeconds(30), 10);
        var claimed = Assert.Single(await store.ClaimDueAsync(T0, TimeSpan.FromSeconds(30), 10));
        var whileHeld = await store.ClaimDueAsync(T0.AddSeconds(29), TimeSpan.FromSeconds(30), 10);
        var afterItRanOut = await store.ClaimDueAsync(T0.AddSeconds(30), TimeSpan.FromSeconds(30), 10);

        Assert.Empty(notYetDue);
        Assert.Equal(("tn-a", WebhookId(webhook), cursor), (claimed.TenantId, claimed.WebhookId, claimed.EventCursor));
        Assert.Equal(webhook.Url, claimed.Url);
        Assert.Equal(webhook.Secret, claimed.Secret);
        Assert.Equal(cursor.ToString(System.Globalization.CultureInfo.InvariantCulture), claimed.Event.Cursor);
        Assert.Equal(EventType.SessionQrCode, claimed.Event.Type);
        Assert.Equal(0, claimed.AttemptCount);
        Assert.Empty(whileHeld);
        Assert.NotEqual(claimed.ClaimToken, Assert.Single(afterItRanOut).ClaimToken);
    }

    [Fact]
    public async Task Senders_claiming_at_once_from_two_contexts_take_disjoint_sets()
    {
        await SeedAsync(Tenant("tn-a"), Tenant("tn-b"));
        await CreateWebhookAsync("tn-a", [], []);
        await CreateWebhookAsync("tn-b", [], []);
        for (var i = 0; i < 30; i++)
        {
            await AppendAsync(i % 2 == 0 ? "tn-a" : "tn-b", "s1", QrEvent());
        }

        async Task<List<ClaimedWebhookDelivery>> DrainAsync()
        {
            var mine = new List<ClaimedWebhookDelivery>();
            await using var db = NewContext();
            var store = Webhooks(db);
            while (await store.ClaimDueAsync(T0, TimeSpan.FromMinutes(1), 4) is { Count: > 0 } batch)
            {
                mine.AddRange(batch);
            }
            return mine;
        }
        var sets = await Task.WhenAll(Task.Run(DrainAsync), Task.Run(DrainAsync));

        var keys = sets.SelectMany(s => s).Select(d => (d.TenantId, d.EventCursor)).ToList();
        Assert.Equal(30, keys.Count);
        Assert.Equal(30, keys.Distinct().Count());
    }

    [Fact]
    public async Task Attempts_are_kept_and_the_outcome_decides_the_next_attempt()
    {
        await SeedAsync(Tenant("tn-a"));
        var webhook = await CreateWebhookAsync("tn-a", [], []);
        var cursor = await AppendAsync("tn-a", "s1", QrEvent());
        await using var db = NewContext();
        var store = Webhooks(db);

        var first = Assert.Single(await store.ClaimDueAsync(T0, TimeSpan.FromSeconds(30), 10));
        Assert.True(await store.RecordAttemptAsync("tn-a", first.WebhookId, first.EventCursor, first.ClaimToken,
            new WebhookAttemptOutcome(T0, TimeSpan.FromMilliseconds(120), 503, "503 Service Unavailable", DeliveryState.Pending, T0.AddSeconds(10))));
        var beforeRetry = await store.ClaimDueAsync(T0.AddSeconds(9), TimeSpan.FromSeconds(30), 10);
        var retry = Assert.Single(await store.ClaimDueAsync(T0.AddSeconds(10), TimeSpan.FromSeconds(30), 10));
        Assert.True(await store.RecordAttemptAsync("tn-a", retry.WebhookId, retry.EventCursor, retry.ClaimToken,
            new WebhookAttemptOutcome(T0.AddSeconds(10), TimeSpan.FromMilliseconds(40), 200, "", DeliveryState.Succeeded, null)));

        Assert.Empty(beforeRetry);
        Assert.Equal(1, retry.AttemptCount);
        Assert.Empty(await store.ClaimDueAsync(T0.AddDays(1), TimeSpan.FromSeconds(30), 10));
        var delivery = Assert.Single((await store.ListDeliveriesAsync("tn-a", WebhookId(webhook), null, 10)).Deliveries);
        Assert.Equal(DeliveryState.Succeeded, delivery.State);
        Assert.Null(delivery.NextAttemptTime);
        Assert.Equal([503, 200], delivery.Attempts.Select(a => a.ResponseCode));
        Assert.Equal(["503 Service Unavailable", ""], delivery.Attempts.Select(a => a.Error));
        Assert.Equal(TimeSpan.FromMilliseconds(120), delivery.Attempts[0].Latency.ToTimeSpan());
        Assert.Equal(T0.AddSeconds(10), delivery.Attempts[1].Time.ToDateTime());
        Assert.Equal($"{webhook.Name}/deliveries/{cursor}", delivery.Name);
        Assert.Equal(EventType.SessionQrCode, delivery.Event.Type);
    }

    [Fact]
    public async Task A_sender_whose_claim_was_taken_over_keeps_its_attempt_on_record_but_settles_nothing()
    {
        await SeedAsync(Tenant("tn-a"));
        var webhook = await CreateWebhookAsync("tn-a", [], []);
        await AppendAsync("tn-a", "s1", QrEvent());
        await using var db = NewContext();
        var store = Webhooks(db);
        var stale = Assert.Single(await store.ClaimDueAsync(T0, TimeSpan.FromSeconds(30), 10));
        var current = Assert.Single(await store.ClaimDueAsync(T0.AddSeconds(31), TimeSpan.FromSeconds(30), 10));

        var staleApplied = await store.RecordAttemptAsync("tn-a", stale.WebhookId, stale.EventCursor, stale.ClaimToken,
            new WebhookAttemptOutcome(T0.AddSeconds(32), TimeSpan.FromSeconds(32), 0, "timeout", DeliveryState.Failed, null));
        var currentApplied = await store.RecordAttemptAsync("tn-a", current.WebhookId, current.EventCursor, current.ClaimToken,
            new WebhookAttemptOutcome(T0.AddSeconds(33), TimeSpan.FromSeconds(1), 200, "", DeliveryState.Succeeded, null));

        Assert.False(staleApplied);
        Assert.True(currentApplied);
        var delivery = Assert.Single((await store.ListDeliveriesAsync("tn-a", WebhookId(webhook), null, 10)).Deliveries);
        Assert.Equal(DeliveryState.Succeeded, delivery.State);
        Assert.Equal(2, delivery.Attempts.Count);
    }

    [Fact]
    public async Task A_delivery_reset_for_redelivery_is_pending_and_due_at_once()
    {
        await SeedAsync(Tenant("tn-a"), Tenant("tn-b"));
        var webhook = await CreateWebhookAsync("tn-a", [], []);
        var cursor = await AppendAsync("tn-a", "s1", QrEvent());
        await using var db = NewContext();
        var store = Webhooks(db);
        var claimed = Assert.Single(await store.ClaimDueAsync(T0, TimeSpan.FromSeconds(30), 10));
        await store.RecordAttemptAsync("tn-a", claimed.WebhookId, cursor, claimed.ClaimToken,
            new WebhookAttemptOutcome(T0, TimeSpan.FromMilliseconds(5), 410, "410 Gone", DeliveryState.Failed, null));

        var otherTenant = await store.RedeliverAsync("tn-b", WebhookId(webhook), cursor, T0.AddHours(1));
        var redelivered = await store.RedeliverAsync("tn-a", WebhookId(webhook), cursor, T0.AddHours(1));

        Assert.Null(otherTenant);
        Assert.NotNull(redelivered);
        Assert.Equal(DeliveryState.Pending, redelivered.State);
        Assert.Equal(T0.AddHours(1), redelivered.NextAttemptTime.ToDateTime());
        Assert.Single(redelivered.Attempts);
        Assert.Equal(1, Assert.Single(await store.ClaimDueAsync(T0.AddHours(1), TimeSpan.FromSeconds(30), 10)).AttemptCount);
    }

    [Fact]
    public async Task Deliveries_list_newest_first_in_pages_and_go_with_their_webhook()
    {
        await SeedAsync(Tenant("tn-a"));
        var webhook = await CreateWebhookAsync("tn-a", [], []);
        var cursors = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            cursors.Add((await AppendAsync("tn-a", "s1", QrEvent())).ToString(System.Globalization.CultureInfo.InvariantCulture));
        }
        await using var db = NewContext();
        var store = Webhooks(db);

        var first = await store.ListDeliveriesAsync("tn-a", WebhookId(webhook), null, 3);
        var second = await store.ListDeliveriesAsync("tn-a", WebhookId(webhook), first.NextBeforeCursor, 3);
        var otherTenant = await store.ListDeliveriesAsync("tn-b", WebhookId(webhook), null, 3);
        await store.DeleteAsync("tn-a", WebhookId(webhook));

        Assert.Equal(Enumerable.Reverse(cursors), first.Deliveries.Concat(second.Deliveries).Select(d => d.Event.Cursor));
        Assert.Null(second.NextBeforeCursor);
        Assert.Empty(otherTenant.Deliveries);
        Assert.Equal(0, await db.WebhookDeliveries.CountAsync());
        Assert.Empty(await store.ClaimDueAsync(T0, TimeSpan.FromSeconds(30), 10));
    }

    private static WebhookStore Webhooks(WagateDbContext db) => new(db, new WebhookSecretCipher(WebhookKey));

    private async Task<Webhook> CreateWebhookAsync(string tenantId, EventType[] types, string[] sessions)
    {
        await using var db = NewContext();
        return await Webhooks(db).CreateAsync(tenantId, "https://hooks.example.com/wagate", types, sessions, T0);
    }

    private async Task<List<long>> DeliveryCursorsAsync(string tenantId, Webhook webhook)
    {
        await using var db = NewContext();
        var id = WebhookId(webhook);
        return await db.WebhookDeliveries.Where(d => d.TenantId == tenantId && d.WebhookId == id)
            .OrderBy(d => d.EventCursor).Select(d => d.EventCursor).ToListAsync();
    }

    private static string WebhookId(Webhook webhook) => webhook.Name[(webhook.Name.LastIndexOf('/') + 1)..];
}
