using Google.Protobuf.WellKnownTypes;
using Microsoft.EntityFrameworkCore;
using Wagate.Contracts.Message.V1;
using Wagate.Data.Events;
using Xunit;

namespace Wagate.Data.Tests;

/// <summary>The event log: per-tenant cursors that follow commit order, so a reader resuming
/// after a cursor never misses an event.</summary>
public abstract partial class DataConformanceTests
{
    private static readonly DateTime T0 = new(2026, 11, 1, 12, 0, 0, DateTimeKind.Utc);

    [Fact]
    public async Task Each_tenant_s_events_get_cursors_counting_up_from_one()
    {
        await SeedAsync(Tenant("tn-a"), Tenant("tn-b"), Session("tn-a", "s1"), Session("tn-b", "s1"));

        long[] a = [await AppendAsync("tn-a", "s1"), await AppendAsync("tn-a", "s1"), await AppendAsync("tn-a", "s1")];
        var b = await AppendAsync("tn-b", "s1");

        Assert.Equal([1L, 2L, 3L], a);
        Assert.Equal(1L, b);
    }

    [Fact]
    public async Task An_event_appended_outside_a_transaction_is_refused()
    {
        await SeedAsync(Tenant("tn-a"));
        await using var db = NewContext();

        await Assert.ThrowsAsync<InvalidOperationException>(() => new EventLog(db).AppendAsync("tn-a", "s1", QrEvent()));
    }

    [Fact]
    public async Task A_rolled_back_append_leaves_no_gap_in_the_cursors()
    {
        await SeedAsync(Tenant("tn-a"));
        await using (var db = NewContext())
        {
            await using var transaction = await db.Database.BeginTransactionAsync();
            await new EventLog(db).AppendAsync("tn-a", "s1", QrEvent());
            await transaction.RollbackAsync();
        }

        var cursor = await AppendAsync("tn-a", "s1");

        Assert.Equal(1L, cursor);
        Assert.Equal([1L], await CursorsAsync("tn-a"));
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
            seen.AddRange(batch.Select(e => long.Parse(e.Cursor, System.Globalization.CultureInfo.InvariantCulture)));
            if (done && batch.Count == 0)
            {
                break;
            }
        }
        await writing;

        Assert.Equal(Enumerable.Range(1, Writers * EventsPerWriter).Select(i => (long)i), seen);
    }

    [Fact]
    public async Task Reading_filters_by_type_and_session_in_cursor_order_up_to_the_limit()
    {
        await SeedAsync(Tenant("tn-a"));
        await AppendAsync("tn-a", "s1", QrEvent());                                   // 1
        await AppendAsync("tn-a", "s2", QrEvent());                                   // 2
        await AppendAsync("tn-a", "s1", StateEvent());                                // 3
        await AppendAsync("tn-a", "s1", QrEvent());                                   // 4
        await AppendAsync("tn-a", "s3", QrEvent());                                   // 5
        await using var db = NewContext();
        var log = new EventLog(db);

        var qrOfS1 = await log.ReadAfterAsync("tn-a", 0, new EventFilter([EventType.SessionQrCode], ["s1"]), 10);
        var s1OrS3 = await log.ReadAfterAsync("tn-a", 1, new EventFilter([], ["s1", "s3"]), 10);
        var limited = await log.ReadAfterAsync("tn-a", 1, EventFilter.All, 2);

        Assert.Equal(["1", "4"], qrOfS1.Select(e => e.Cursor));
        Assert.Equal(["3", "4", "5"], s1OrS3.Select(e => e.Cursor));
        Assert.Equal(["2", "3"], limited.Select(e => e.Cursor));
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
        await AppendAsync("tn-a", "s1");
        await using var db = NewContext();

        var events = await new EventLog(db).ReadAfterAsync("tn-a", 0, EventFilter.All, 10);

        Assert.Equal(["1"], events.Select(e => e.Cursor));
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
        await AppendAsync("tn-a", "s1", recent);

        await using (var db = NewContext())
        {
            Assert.Equal(1, await new EventLog(db).PruneAsync(T0.AddDays(1)));
        }
        var next = await AppendAsync("tn-a", "s1", recent);

        Assert.Equal([2L, 3L], await CursorsAsync("tn-a"));
        Assert.Equal(3L, next);
    }

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
