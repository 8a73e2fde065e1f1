using System.Globalization;
using Google.Protobuf.WellKnownTypes;
using Microsoft.EntityFrameworkCore;
using Wagate.Contracts.Message.V1;
using Wagate.Data.Events;
using Xunit;

namespace Wagate.Data.Tests;

/// <summary>The event log: per-tenant cursors that rise as readers see them, so a reader resuming
/// after a cursor never misses an event.</summary>
public abstract partial class DataConformanceTests
{
    private static readonly DateTime T0 = new(2026, 11, 1, 12, 0, 0, DateTimeKind.Utc);

    [Fact]
    public async Task Each_tenant_s_events_get_rising_cursors_in_a_log_of_its_own()
    {
        await SeedAsync(Tenant("tn-a"), Tenant("tn-b"), Session("tn-a", "s1"), Session("tn-b", "s1"));

        long[] a = [await AppendAsync("tn-a", "s1"), await AppendAsync("tn-a", "s1"), await AppendAsync("tn-a", "s1")];
        var b = await AppendAsync("tn-b", "s1");

        Assert.Equal(a.Order(), a);
        Assert.Equal(3, a.Distinct().Count());
        Assert.Equal(a, await CursorsAsync("tn-a"));
        Assert.Equal([b], await CursorsAsync("tn-b"));
    }

    [Fact]
    public async Task An_event_appended_outside_a_transaction_is_refused()
    {
        await SeedAsync(Tenant("tn-a"));
        await using var db = NewContext();

        await Assert.ThrowsAsync<InvalidOperationException>(() => new EventLog(db).AppendAsync("tn-a", "s1", QrEvent()));
    }

    [Fact]
    public async Task A_rolled_back_append_leaves_no_event()
    {
        await SeedAsync(Tenant("tn-a"));
        await using (var db = NewContext())
        {
            await using var transaction = await db.Database.BeginTransactionAsync();
            await new EventLog(db).AppendAsync("tn-a", "s1", QrEvent());
            await transaction.RollbackAsync();
        }

        var cursor = await AppendAsync("tn-a", "s1");

        Assert.Equal([cursor], await CursorsAsync("tn-a"));
        await using var reader = NewContext();
        Assert.Equal([cursor.ToString(CultureInfo.InvariantCulture)],
            (await new EventLog(reader).ReadAfterAsync("tn-a", 0, EventFilter.All, 10)).Select(e => e.Cursor));
    }

    [Fact]
    public async Task Events_of_one_transaction_keep_the_order_they_were_appended_in()
    {
        await SeedAsync(Tenant("tn-a"));
        await using var db = NewContext();
        await using var transaction = await db.Database.BeginTransactionAsync();
        var log = new EventLog(db);
        long[] cursors = [await log.AppendAsync("tn-a", "s1", QrEvent()), await log.AppendAsync("tn-a", "s2", QrEvent()), await log.AppendAsync("tn-a", "s3", QrEvent())];
        await transaction.CommitAsync();

        Assert.Equal(cursors.Order(), cursors);
        await using var reader = NewContext();
        Assert.Equal(["s1", "s2", "s3"], (await new EventLog(reader).ReadAfterAsync("tn-a", 0, EventFilter.All, 10)).Select(e => ResourceIdOf(e.Session)));
    }

    [Fact]
    public async Task A_reader_resuming_after_its_last_cursor_misses_no_event_of_concurrent_appenders()
    {
        await SeedAsync(Tenant("tn-a"));
        const int Writers = 6;
        const int EventsPerWriter = 20;
        var writing = Task.WhenAll(Enumerable.Range(0, Writers).Select(w => Task.Run(async () =>
        {
            for (var i = 0; i < EventsPerWriter; i++)
            {
                await AppendAsync("tn-a", "s" + w);
            }
        })));

        // The reader resumes from the last cursor it saw, as StreamEvents does; an event that
        // committed after the reader passed its cursor would be lost for good.
        var seen = new List<long>();
        while (true)
        {
            var done = writing.IsCompleted;
            await using var db = NewContext();
            var batch = await new EventLog(db).ReadAfterAsync("tn-a", seen.LastOrDefault(), EventFilter.All, 7);
            seen.AddRange(batch.Select(e => long.Parse(e.Cursor, CultureInfo.InvariantCulture)));
            if (done && batch.Count == 0)
            {
                break;
            }
        }
        await writing;

        Assert.Equal(Writers * EventsPerWriter, seen.Count);
        Assert.Equal(await CursorsAsync("tn-a"), seen);
    }

    [Fact]
    public async Task Readers_following_from_any_cursor_see_every_committed_event_once_in_order_while_transactions_commit_out_of_order()
    {
        string[] tenants = ["tn-a", "tn-b", "tn-c"];
        await SeedAsync([.. tenants.Select(Tenant)]);
        const int Writers = 12;
        const int TransactionsPerWriter = 8;
        // Marks what each writer committed, to check against what the readers saw.
        var committed = new System.Collections.Concurrent.ConcurrentDictionary<string, byte>();
        var random = new Random(20261204);
        var plans = Enumerable.Range(0, Writers).Select(_ => Enumerable.Range(0, TransactionsPerWriter)
            .Select(_ => (Tenant: tenants[random.Next(tenants.Length)], Events: random.Next(1, 4), HoldMs: random.Next(0, 40), RollBack: random.Next(6) == 0))
            .ToList()).ToList();
        using var stop = new CancellationTokenSource();

        // Some writers take their cursor (the transaction's first append) and then wait before
        // committing, so transactions that began later commit first.
        var writing = Task.WhenAll(plans.Select((plan, w) => Task.Run(async () =>
        {
            for (var t = 0; t < plan.Count; t++)
            {
                var (tenant, events, holdMs, rollBack) = plan[t];
                await using var db = NewContext();
                await using var transaction = await db.Database.BeginTransactionAsync();
                var log = new EventLog(db);
                var ids = new List<string>();
                for (var e = 0; e < events; e++)
                {
                    var id = $"w{w}t{t}e{e}";
                    var @event = QrEvent();
                    @event.QrCode.Code = id;
                    await log.AppendAsync(tenant, "s1", @event);
                    ids.Add(id);
                }
                await Task.Delay(holdMs);
                if (rollBack)
                {
                    await transaction.RollbackAsync();
                    continue;
                }
                await transaction.CommitAsync();
                foreach (var id in ids)
                {
                    committed[tenant + "/" + id] = 0;
                }
            }
        })));

        // Readers of each tenant: one from the start, and one that joins late from the cursor a
        // first read returned, each resuming after the last cursor it saw.
        var readers = tenants.SelectMany(tenant => new[] { FollowAsync(tenant, joinLate: false), FollowAsync(tenant, joinLate: true) }).ToList();
        await writing;
        var results = await Task.WhenAll(readers);

        foreach (var tenant in tenants)
        {
            var final = await CursorsAsync(tenant);
            var expected = committed.Keys.Where(k => k.StartsWith(tenant + "/", StringComparison.Ordinal)).Select(k => k[(tenant.Length + 1)..]).Order().ToList();
            foreach (var (reader, start, seen) in results.Where(r => r.Tenant == tenant).Select(r => (r.Tenant, r.Start, r.Seen)))
            {
                Assert.Equal(final.Where(c => c > start), seen.Select(s => s.Cursor));
                if (start == 0)
                {
                    Assert.Equal(expected, seen.Select(s => s.Id).Order());
                }
            }
        }

        async Task<(string Tenant, long Start, List<(long Cursor, string Id)> Seen)> FollowAsync(string tenant, bool joinLate)
        {
            var seen = new List<(long Cursor, string Id)>();
            long start = 0;
            if (joinLate)
            {
                while (!writing.IsCompleted)
                {
                    await using var db = NewContext();
                    if ((await new EventLog(db).ReadAfterAsync(tenant, 0, EventFilter.All, 3)) is [.., var last])
                    {
                        start = long.Parse(last.Cursor, CultureInfo.InvariantCulture);
                        break;
                    }
                    await Task.Delay(2);
                }
            }
            var after = start;
            while (true)
            {
                var done = writing.IsCompleted;
                await using var db = NewContext();
                var batch = await new EventLog(db).ReadAfterAsync(tenant, after, EventFilter.All, 5);
                foreach (var @event in batch)
                {
                    var cursor = long.Parse(@event.Cursor, CultureInfo.InvariantCulture);
                    Assert.True(cursor > after, $"cursor {cursor} came after {after}");
                    seen.Add((cursor, @event.QrCode.Code));
                    after = cursor;
                }
                if (done && batch.Count == 0)
                {
                    return (tenant, start, seen);
                }
                if (batch.Count == 0)
                {
                    await Task.Delay(2);
                }
            }
        }
    }

    [Fact]
    public async Task Reading_filters_by_type_and_session_in_cursor_order_up_to_the_limit()
    {
        await SeedAsync(Tenant("tn-a"));
        long[] c =
        [
            await AppendAsync("tn-a", "s1", QrEvent()),
            await AppendAsync("tn-a", "s2", QrEvent()),
            await AppendAsync("tn-a", "s1", StateEvent()),
            await AppendAsync("tn-a", "s1", QrEvent()),
            await AppendAsync("tn-a", "s3", QrEvent()),
        ];
        await using var db = NewContext();
        var log = new EventLog(db);

        var qrOfS1 = await log.ReadAfterAsync("tn-a", 0, new EventFilter([EventType.SessionQrCode], ["s1"]), 10);
        var s1OrS3 = await log.ReadAfterAsync("tn-a", c[0], new EventFilter([], ["s1", "s3"]), 10);
        var limited = await log.ReadAfterAsync("tn-a", c[0], EventFilter.All, 2);

        Assert.Equal(Cursors(c[0], c[3]), qrOfS1.Select(e => e.Cursor));
        Assert.Equal(Cursors(c[2], c[3], c[4]), s1OrS3.Select(e => e.Cursor));
        Assert.Equal(Cursors(c[1], c[2]), limited.Select(e => e.Cursor));
        Assert.Equal("tenants/tn-a/sessions/s3", s1OrS3[^1].Session);
        Assert.Equal(EventType.SessionStateChanged, s1OrS3[0].Type);
        Assert.Equal("qr-code", qrOfS1[0].QrCode.Code);
    }

    [Fact]
    public async Task A_tenant_never_reads_another_tenant_s_events()
    {
        await SeedAsync(Tenant("tn-a"), Tenant("tn-b"));
        await AppendAsync("tn-b", "s1");
        await AppendAsync("tn-b", "s1");
        var ours = await AppendAsync("tn-a", "s1");
        await using var db = NewContext();

        var events = await new EventLog(db).ReadAfterAsync("tn-a", 0, EventFilter.All, 10);

        Assert.Equal(Cursors(ours), events.Select(e => e.Cursor));
        Assert.All(events, e => Assert.StartsWith("tenants/tn-a/", e.Session, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Pruning_removes_only_events_older_than_the_cutoff_and_cursors_are_never_reused()
    {
        await SeedAsync(Tenant("tn-a"), Session("tn-a", "s1"));
        var old = QrEvent();
        var recent = QrEvent();
        recent.Time = Timestamp.FromDateTime(T0.AddDays(8));
        await AppendAsync("tn-a", "s1", old);
        var kept = await AppendAsync("tn-a", "s1", recent);

        await using (var db = NewContext())
        {
            Assert.Equal(1, await new EventLog(db).PruneAsync(T0.AddDays(1)));
        }
        var next = await AppendAsync("tn-a", "s1", recent);

        Assert.Equal([kept, next], await CursorsAsync("tn-a"));
        Assert.True(next > kept);
    }

    private static string[] Cursors(params long[] cursors) => [.. cursors.Select(c => c.ToString(CultureInfo.InvariantCulture))];

    private static string ResourceIdOf(string name) => name[(name.LastIndexOf('/') + 1)..];

    private async Task<long> AppendAsync(string tenantId, string sessionId, Event? @event = null)
    {
        await using var db = NewContext();
        await using var transaction = await db.Database.BeginTransactionAsync();
        var cursor = await new EventLog(db).AppendAsync(tenantId, sessionId, @event ?? QrEvent());
        await transaction.CommitAsync();
        return cursor;
    }

    private async Task<List<long>> CursorsAsync(string tenantId)
    {
        await using var db = NewContext();
        return await db.Events.Where(e => e.TenantId == tenantId).OrderBy(e => e.Cursor).Select(e => e.Cursor).ToListAsync();
    }

    private static Event QrEvent() => new()
    {
        Type = EventType.SessionQrCode,
        Time = Timestamp.FromDateTime(T0),
        QrCode = new QrCodeShown { Code = "qr-code", ExpireTime = Timestamp.FromDateTime(T0.AddSeconds(60)) },
    };

    private static Event StateEvent() => new()
    {
        Type = EventType.SessionStateChanged,
        Time = Timestamp.FromDateTime(T0),
        SessionState = new SessionStateChange { State = Wagate.Contracts.Session.V1.Session.Types.State.Connected, PhoneNumber = "+15550001111" },
    };
}
