using Google.Protobuf.WellKnownTypes;
using Microsoft.EntityFrameworkCore;
using Wagate.Contracts.Message.V1;
using Wagate.Contracts.Session.V1;
using Wagate.Core;
using Wagate.Data.Entities;
using Wagate.Data.Events;
using Wagate.Data.Messages;
using Xunit;
using SessionState = Wagate.Contracts.Session.V1.Session.Types.State;
using State = Wagate.Contracts.Message.V1.Message.Types.State;

namespace Wagate.Data.Tests;

/// <summary>The message ledger workers write through: fencing refuses a stale owner, states
/// never go backwards, an inbound message is stored once.</summary>
public abstract partial class DataConformanceTests
{
    [Fact]
    public async Task A_larger_token_claims_a_session_and_a_smaller_one_then_cannot()
    {
        await SeedAsync(Tenant("tn-a"), Session("tn-a", "s1"));
        var ledger = Ledger();

        Assert.True(await ledger.ClaimSessionAsync("tn-a", "s1", 5));
        Assert.True(await ledger.ClaimSessionAsync("tn-a", "s1", 5)); // the owner claiming again
        Assert.True(await ledger.ClaimSessionAsync("tn-a", "s1", 9));
        Assert.False(await ledger.ClaimSessionAsync("tn-a", "s1", 5));
        Assert.False(await ledger.ClaimSessionAsync("tn-a", "missing", 10));
        Assert.False(await ledger.ClaimSessionAsync("tn-b", "s1", 10));
        await using var db = NewContext();
        Assert.Equal(9, (await db.Sessions.SingleAsync(s => s.TenantId == "tn-a" && s.Id == "s1")).OwnerToken);
    }

    [Fact]
    public async Task Claims_of_many_sessions_at_once_leave_each_with_its_largest_token()
    {
        var sessions = Enumerable.Range(0, 40).Select(i => $"s{i:D2}").ToList();
        await SeedAsync([Tenant("tn-a"), .. sessions.Select(s => (object)Session("tn-a", s))]);
        var ledger = Ledger();
        long[] tokens = [3, 1, 5, 2, 5, 4];
        var claims = sessions.SelectMany(s => tokens.Select(token => (Session: s, Token: token)))
            .Append((Session: "missing", Token: 9L)).OrderBy(_ => Random.Shared.Next()).ToList();

        var answers = await Task.WhenAll(claims.Select(c => Task.Run(() => ledger.ClaimSessionAsync("tn-a", c.Session, c.Token))));

        // The largest token of each session always wins, whatever came before it.
        Assert.All(claims.Zip(answers).Where(a => a.First.Token == 5), a => Assert.True(a.Second));
        Assert.False(answers[claims.IndexOf((Session: "missing", Token: 9L))]);
        foreach (var session in sessions)
        {
            var id = MessageId(await AcceptAsync("tn-a", session, "hello"));
            Assert.Equal(LedgerWrite.FencedOut, await ledger.RecordStatusAsync("tn-a", session, 4, id, State.Sent, T0));
            Assert.Equal(State.Sent, (await ledger.RecordStatusAsync("tn-a", session, 5, id, State.Sent, T0)).Changed?.State);
        }
    }

    [Fact]
    public async Task A_worker_whose_session_was_claimed_by_a_newer_token_records_nothing()
    {
        await SeedAsync(Tenant("tn-a"), Session("tn-a", "s1"));
        var ledger = Ledger();
        await ledger.ClaimSessionAsync("tn-a", "s1", 1);
        var sent = await AcceptAsync("tn-a", "s1", "hello");
        await ledger.ClaimSessionAsync("tn-a", "s1", 2);
        var eventsBefore = await CursorsAsync("tn-a");

        Assert.Equal(LedgerWrite.FencedOut, await ledger.RecordStatusAsync("tn-a", "s1", 1, MessageId(sent), State.Sent, T0));
        Assert.Equal(LedgerWrite.FencedOut, await ledger.RecordInboundAsync("tn-a", "s1", 1, "3EB0AA", "+15550002222", Text("hi"), T0));
        Assert.False(await ledger.RecordSessionEventAsync("tn-a", "s1", 1, QrEvent()));

        Assert.Equal(State.Queued, (await GetMessageAsync("tn-a", "s1", MessageId(sent)))!.State);
        Assert.Equal(eventsBefore, await CursorsAsync("tn-a"));
        await using var db = NewContext();
        Assert.False(await db.Messages.AnyAsync(m => m.Direction == (int)Message.Types.Direction.Inbound));
    }

    [Fact]
    public async Task A_received_message_is_found_by_its_whatsapp_id_and_a_sent_one_by_its_own_within_its_session_only()
    {
        await SeedAsync(Tenant("tn-a"), Session("tn-a", "s1"), Tenant("tn-b"), Session("tn-b", "s1"));
        var ledger = Ledger();
        await ledger.ClaimSessionAsync("tn-a", "s1", 1);
        var sent = MessageId(await AcceptAsync("tn-a", "s1", "hello"));
        await ledger.RecordInboundAsync("tn-a", "s1", 1, "3EB0AA", "+15550002222", Text("hi"), T0);
        await using var db = NewContext();
        var received = db.Messages.Single(m => m.TenantId == "tn-a" && m.ExternalId == "3EB0AA").Id;

        Assert.Equal(("3EB0AA", received), (await ledger.WhatsAppIdOfAsync("tn-a", "s1", received), await ledger.MessageIdOfAsync("tn-a", "s1", "3EB0AA")));
        Assert.Equal((sent, sent), (await ledger.WhatsAppIdOfAsync("tn-a", "s1", sent), await ledger.MessageIdOfAsync("tn-a", "s1", sent)));
        Assert.Equal(("ms-never", "SBNEVER"), (await ledger.WhatsAppIdOfAsync("tn-a", "s1", "ms-never"), await ledger.MessageIdOfAsync("tn-a", "s1", "SBNEVER")));
        // Another tenant's session of the same id knows nothing of them.
        Assert.Equal((received, "3EB0AA"), (await ledger.WhatsAppIdOfAsync("tn-b", "s1", received), await ledger.MessageIdOfAsync("tn-b", "s1", "3EB0AA")));
    }

    [Fact]
    public async Task A_session_nobody_claimed_accepts_no_writes()
    {
        await SeedAsync(Tenant("tn-a"), Session("tn-a", "s1"));

        Assert.False(await Ledger().RecordSessionEventAsync("tn-a", "s1", 7, QrEvent()));
    }

    [Fact]
    public async Task A_token_of_one_tenant_s_session_writes_nothing_in_another_tenant()
    {
        await SeedAsync(Tenant("tn-a"), Tenant("tn-b"), Session("tn-a", "s1"), Session("tn-b", "s1"));
        var ledger = Ledger();
        await ledger.ClaimSessionAsync("tn-a", "s1", 3);
        var theirs = await AcceptAsync("tn-b", "s1", "theirs");

        Assert.Equal(LedgerWrite.FencedOut, await ledger.RecordStatusAsync("tn-b", "s1", 3, MessageId(theirs), State.Sent, T0));
        Assert.Equal(LedgerWrite.FencedOut, await ledger.RecordInboundAsync("tn-b", "s1", 3, "3EB0AB", "+15550002222", Text("hi"), T0));
        Assert.Equal(State.Queued, (await GetMessageAsync("tn-b", "s1", MessageId(theirs)))!.State);
    }

    [Fact]
    public async Task Once_a_claim_returns_no_write_under_the_older_token_lands()
    {
        await SeedAsync(Tenant("tn-a"), Session("tn-a", "s1"));
        var ledger = Ledger();
        await ledger.ClaimSessionAsync("tn-a", "s1", 1);
        var accepted = 0;
        using var started = new SemaphoreSlim(0);
        // Several writers of the old owner, so that writes are in flight when the claim comes.
        var oldOwner = Task.WhenAll(Enumerable.Range(0, 4).Select(w => Task.Run(async () =>
        {
            for (var i = 0; ; i++)
            {
                if (!(await ledger.RecordInboundAsync("tn-a", "s1", 1, $"3EB0{w}{i:X4}", "+15550002222", Text("m" + i), T0.AddSeconds(i))).Owned)
                {
                    return;
                }
                Interlocked.Increment(ref accepted);
                started.Release();
            }
        })));
        for (var i = 0; i < 8; i++)
        {
            await started.WaitAsync();
        }

        Assert.True(await ledger.ClaimSessionAsync("tn-a", "s1", 2));
        var storedAtClaim = await InboundCountAsync();
        await oldOwner;

        // Every write the old owner was told succeeded is there, and none landed after the claim.
        Assert.Equal(storedAtClaim, await InboundCountAsync());
        Assert.Equal(Volatile.Read(ref accepted), storedAtClaim);
    }

    [Fact]
    public async Task States_only_move_forward_and_stale_reports_are_ignored_without_error()
    {
        await SeedAsync(Tenant("tn-a"), Session("tn-a", "s1"));
        var ledger = Ledger();
        await ledger.ClaimSessionAsync("tn-a", "s1", 1);
        var id = MessageId(await AcceptAsync("tn-a", "s1", "hello"));

        LedgerWrite[] writes =
        [
            await ledger.RecordStatusAsync("tn-a", "s1", 1, id, State.Delivered, T0.AddSeconds(2)),
            await ledger.RecordStatusAsync("tn-a", "s1", 1, id, State.Sent, T0.AddSeconds(1)),   // late server ack
            await ledger.RecordStatusAsync("tn-a", "s1", 1, id, State.Read, T0.AddSeconds(3)),
            await ledger.RecordStatusAsync("tn-a", "s1", 1, id, State.Delivered, T0.AddSeconds(4)),
            await ledger.RecordStatusAsync("tn-a", "s1", 1, id, State.Failed, T0.AddSeconds(5), new MessageFailure("LATE", "Too late.")),
            await ledger.RecordStatusAsync("tn-a", "s1", 1, id, State.Played, T0.AddSeconds(6)),
            await ledger.RecordStatusAsync("tn-a", "s1", 1, "ms-unknown", State.Sent, T0),
        ];

        // Each write says whether it changed the message, and how it left it.
        Assert.All(writes, write => Assert.True(write.Owned));
        State?[] changed = [State.Delivered, null, State.Read, null, null, State.Played, null];
        Assert.Equal(changed, writes.Select(w => w.Changed?.State));
        var message = (await GetMessageAsync("tn-a", "s1", id))!;
        Assert.Equal(message, writes[5].Changed);
        Assert.Equal(State.Played, message.State);
        Assert.Null(message.SendTime);
        Assert.Equal(T0.AddSeconds(2), message.DeliverTime.ToDateTime());
        Assert.Equal(T0.AddSeconds(3), message.ReadTime.ToDateTime());
        Assert.Equal(T0.AddSeconds(6), message.PlayTime.ToDateTime());
        Assert.Null(message.FailTime);
        Assert.Equal(("", ""), (message.FailureReason, message.FailureMessage));
        Assert.Equal(T0.AddSeconds(6), message.UpdateTime.ToDateTime());
        var changes = await StatusEventsAsync("tn-a");
        Assert.Equal([State.Queued, State.Delivered, State.Read, State.Played], changes.Select(e => e.Message.State));
        Assert.All(changes, e => Assert.Equal(message.Name, e.Message.Name));
    }

    [Fact]
    public async Task A_failure_is_recorded_from_queued_or_sent_and_nothing_moves_it_on()
    {
        await SeedAsync(Tenant("tn-a"), Session("tn-a", "s1"));
        var ledger = Ledger();
        await ledger.ClaimSessionAsync("tn-a", "s1", 1);
        var queued = MessageId(await AcceptAsync("tn-a", "s1", "one"));
        var sent = MessageId(await AcceptAsync("tn-a", "s1", "two"));
        await ledger.RecordStatusAsync("tn-a", "s1", 1, sent, State.Sent, T0);
        var failure = new MessageFailure("RECIPIENT_NOT_ON_WHATSAPP", "The number is not on WhatsApp.");

        await ledger.RecordStatusAsync("tn-a", "s1", 1, queued, State.Failed, T0.AddSeconds(1), failure);
        await ledger.RecordStatusAsync("tn-a", "s1", 1, sent, State.Failed, T0.AddSeconds(1), failure);
        await ledger.RecordStatusAsync("tn-a", "s1", 1, sent, State.Delivered, T0.AddSeconds(2));

        foreach (var id in new[] { queued, sent })
        {
            var message = (await GetMessageAsync("tn-a", "s1", id))!;
            Assert.Equal(State.Failed, message.State);
            Assert.Equal(failure, new MessageFailure(message.FailureReason, message.FailureMessage));
            Assert.Equal(T0.AddSeconds(1), message.FailTime.ToDateTime());
            Assert.Null(message.DeliverTime);
        }
    }

    [Fact]
    public async Task Reports_racing_for_one_message_never_move_it_backwards()
    {
        await SeedAsync(Tenant("tn-a"), Session("tn-a", "s1"));
        var ledger = Ledger();
        await ledger.ClaimSessionAsync("tn-a", "s1", 1);
        var id = MessageId(await AcceptAsync("tn-a", "s1", "hello"));
        State[] reports = [State.Sent, State.Delivered, State.Read, State.Played];

        var writes = await Task.WhenAll(Enumerable.Range(0, 24).Select(i => Task.Run(() =>
            ledger.RecordStatusAsync("tn-a", "s1", 1, id, reports[i % reports.Length], T0.AddSeconds(i)))));

        Assert.Equal(State.Played, (await GetMessageAsync("tn-a", "s1", id))!.State);
        var states = (await StatusEventsAsync("tn-a")).Select(e => (int)e.Message.State).ToList();
        Assert.Equal(states.Order(), states);
        Assert.Equal(states.Distinct(), states);
        // Exactly the writes that appended an event say they changed the message.
        Assert.Equal(states.Skip(1), writes.Where(w => w.Changed is not null).Select(w => (int)w.Changed!.State).Order());
    }

    [Fact]
    public async Task Reports_of_several_messages_in_one_write_apply_in_their_order_each_announced_as_it_left_its_message()
    {
        await SeedAsync(Tenant("tn-a"), Session("tn-a", "s1"));
        var ledger = Ledger();
        await ledger.ClaimSessionAsync("tn-a", "s1", 1);
        var first = MessageId(await AcceptAsync("tn-a", "s1", "one"));
        var second = MessageId(await AcceptAsync("tn-a", "s1", "two"));
        var failure = new MessageFailure("RECIPIENT_NOT_ON_WHATSAPP", "The number is not on WhatsApp.");

        var writes = await ledger.RecordStatusesAsync("tn-a", "s1", 1,
        [
            new StatusReport(first, State.Sent, T0.AddSeconds(1)),
            new StatusReport(second, State.Failed, T0.AddSeconds(2), failure),
            new StatusReport(first, State.Delivered, T0.AddSeconds(3)),
            new StatusReport(second, State.Delivered, T0.AddSeconds(4)), // failed for good: stale
            new StatusReport(first, State.Sent, T0.AddSeconds(5)),       // a late server ack: stale
            new StatusReport(first, State.Read, T0.AddSeconds(6)),
            new StatusReport("ms-unknown", State.Sent, T0),
        ]);

        State?[] changed = [State.Sent, State.Failed, State.Delivered, null, null, State.Read, null];
        Assert.Equal(changed, writes.Select(w => w.Changed?.State));
        Assert.All(writes, write => Assert.True(write.Owned));
        // Each change carries its message as that report left it, not as the group did.
        Assert.Equal(T0.AddSeconds(1), writes[0].Changed!.SendTime.ToDateTime());
        Assert.Null(writes[0].Changed!.DeliverTime);
        Assert.Equal(T0.AddSeconds(3), writes[2].Changed!.DeliverTime.ToDateTime());
        Assert.Null(writes[2].Changed!.ReadTime);
        var read = (await GetMessageAsync("tn-a", "s1", first))!;
        Assert.Equal(read, writes[5].Changed);
        Assert.Equal((T0.AddSeconds(1), T0.AddSeconds(3), T0.AddSeconds(6)), (read.SendTime.ToDateTime(), read.DeliverTime.ToDateTime(), read.ReadTime.ToDateTime()));
        var failed = (await GetMessageAsync("tn-a", "s1", second))!;
        Assert.Equal((State.Failed, failure), (failed.State, new MessageFailure(failed.FailureReason, failed.FailureMessage)));
        Assert.Equal(T0.AddSeconds(2), failed.FailTime.ToDateTime());
        Assert.Null(failed.DeliverTime);
        // Announced in the reports' order, after the two QUEUED events of the sends.
        var changes = (await StatusEventsAsync("tn-a")).Skip(2).ToList();
        Assert.Equal([(first, State.Sent), (second, State.Failed), (first, State.Delivered), (first, State.Read)],
            changes.Select(e => (MessageId(e.Message), e.Message.State)));
        Assert.Equal([T0.AddSeconds(1), T0.AddSeconds(2), T0.AddSeconds(3), T0.AddSeconds(6)], changes.Select(e => e.Time.ToDateTime()));
    }

    [Fact]
    public async Task Writes_of_many_sessions_at_once_land_or_are_fenced_out_each_on_its_own()
    {
        var sessions = Enumerable.Range(0, 30).Select(i => $"s{i:D2}").ToList();
        await SeedAsync([Tenant("tn-a"), .. sessions.Select(s => (object)Session("tn-a", s))]);
        var ledger = Ledger();
        var sent = new Dictionary<string, string>();
        foreach (var session in sessions)
        {
            await ledger.ClaimSessionAsync("tn-a", session, 1);
            sent[session] = MessageId(await AcceptAsync("tn-a", session, "hello"));
        }
        // A third of the sessions moved to a newer owner: the old one's writes there must not count.
        var moved = sessions.Take(10).ToHashSet();
        foreach (var session in moved)
        {
            await ledger.ClaimSessionAsync("tn-a", session, 2);
        }
        // And a few were deleted: what their owner still reports has nowhere to land.
        var deleted = sessions.Skip(10).Take(4).ToHashSet();
        await using (var db = NewContext())
        {
            await db.Sessions.Where(s => s.TenantId == "tn-a" && deleted.Contains(s.Id)).ExecuteDeleteAsync();
        }

        var writes = await Task.WhenAll(sessions.SelectMany(session => new[]
        {
            Task.Run(() => ledger.RecordStatusAsync("tn-a", session, 1, sent[session], State.Sent, T0)),
            Task.Run(() => ledger.RecordInboundAsync("tn-a", session, 1, $"3EB0{session}", "+15550002222", Text($"to {session}"), T0)),
        }));

        foreach (var (session, i) in sessions.Select((s, i) => (s, i)))
        {
            var (status, inbound) = (writes[2 * i], writes[2 * i + 1]);
            if (moved.Contains(session))
            {
                Assert.Equal((LedgerWrite.FencedOut, LedgerWrite.FencedOut), (status, inbound));
                Assert.Equal(State.Queued, (await GetMessageAsync("tn-a", session, sent[session]))!.State);
            }
            else if (deleted.Contains(session))
            {
                Assert.Equal((LedgerWrite.FencedOut, LedgerWrite.FencedOut), (status, inbound));
            }
            else
            {
                Assert.Equal((State.Sent, State.Received), (status.Changed?.State, inbound.Changed?.State));
                Assert.Equal($"to {session}", inbound.Changed!.Content.Text.Body);
            }
        }
        Assert.Equal(16, await InboundCountAsync());
        Assert.Equal(sessions.Except(moved).Except(deleted).Select(s => ResourceNames.Session("tn-a", s)).Order(), (await StatusEventsAsync("tn-a")).Where(e => e.Message.State == State.Sent).Select(e => e.Session).Order());
    }

    [Fact]
    public async Task An_inbound_message_handed_over_again_is_stored_and_announced_once()
    {
        await SeedAsync(Tenant("tn-a"), Session("tn-a", "s1"));
        var ledger = Ledger();
        await ledger.ClaimSessionAsync("tn-a", "s1", 1);

        var first = await ledger.RecordInboundAsync("tn-a", "s1", 1, "3EB0C767D26A1D8E9B0E", "+15550002222", Text("hi"), T0);
        var again = await Task.WhenAll(Enumerable.Range(0, 10).Select(_ => Task.Run(() =>
            ledger.RecordInboundAsync("tn-a", "s1", 1, "3EB0C767D26A1D8E9B0E", "+15550002222", Text("hi"), T0))));

        Assert.Equal((true, State.Received), (first.Owned, first.Changed?.State));
        Assert.All(again, write => Assert.Equal(LedgerWrite.Unchanged, write));
        Assert.Equal(1, await InboundCountAsync());
        await using var db = NewContext();
        var events = await new EventLog(db).ReadAfterAsync("tn-a", 0, new EventFilter([EventType.MessageReceived], []), 10);
        var received = Assert.Single(events);
        Assert.Equal(Message.Types.Direction.Inbound, received.Message.Direction);
        Assert.Equal(State.Received, received.Message.State);
        Assert.Equal("+15550002222", received.Message.Chat);
        Assert.Equal("hi", received.Message.Content.Text.Body);
        Assert.Equal(T0, received.Message.CreateTime.ToDateTime());
        Assert.StartsWith("tenants/tn-a/sessions/s1/messages/ms", received.Message.Name, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_outbox_is_the_session_s_queued_outbound_messages_oldest_first()
    {
        await SeedAsync(Tenant("tn-a"), Tenant("tn-b"), Session("tn-a", "s1"), Session("tn-a", "s2"), Session("tn-b", "s1"));
        var ledger = Ledger();
        await ledger.ClaimSessionAsync("tn-a", "s1", 1);
        var first = await AcceptAsync("tn-a", "s1", "first", at: T0.AddSeconds(1));
        var sent = await AcceptAsync("tn-a", "s1", "sent", at: T0.AddSeconds(2));
        var second = await AcceptAsync("tn-a", "s1", "second", at: T0.AddSeconds(3));
        var earliest = await AcceptAsync("tn-a", "s1", "earliest", at: T0);
        await AcceptAsync("tn-a", "s2", "other session");
        await AcceptAsync("tn-b", "s1", "other tenant");
        await ledger.RecordStatusAsync("tn-a", "s1", 1, MessageId(sent), State.Sent, T0.AddSeconds(5));
        await ledger.RecordInboundAsync("tn-a", "s1", 1, "3EB0CC", "+15550002222", Text("inbound"), T0);

        var queued = await ledger.QueuedAsync("tn-a", "s1");
        var firstTwo = await ledger.QueuedAsync("tn-a", "s1", limit: 2);

        Assert.Equal([earliest.Message.Name, first.Message.Name, second.Message.Name], queued.Select(m => m.Name));
        Assert.Equal([earliest.Message.Name, first.Message.Name], firstTwo.Select(m => m.Name));
        Assert.Equal("first", queued[1].Content.Text.Body);
    }

    [Fact]
    public async Task Session_events_are_appended_under_the_owner_s_token()
    {
        await SeedAsync(Tenant("tn-a"), Session("tn-a", "s1"));
        var ledger = Ledger();
        await ledger.ClaimSessionAsync("tn-a", "s1", 4);

        Assert.True(await ledger.RecordSessionEventAsync("tn-a", "s1", 4, StateEvent()));
        Assert.True(await ledger.RecordSessionEventAsync("tn-a", "s1", 4, QrEvent()));
        await Assert.ThrowsAsync<ArgumentException>(() => ledger.RecordSessionEventAsync("tn-a", "s1", 4,
            new Event { Type = EventType.MessageReceived, Time = Timestamp.FromDateTime(T0) }));

        await using var db = NewContext();
        var events = await new EventLog(db).ReadAfterAsync("tn-a", 0, EventFilter.All, 10);
        Assert.Equal([EventType.SessionStateChanged, EventType.SessionQrCode], events.Select(e => e.Type));
        Assert.All(events, e => Assert.Equal("tenants/tn-a/sessions/s1", e.Session));
    }

    [Fact]
    public async Task A_state_event_is_the_rows_state_with_its_error_and_the_next_one_clears_it()
    {
        await SeedAsync(Tenant("tn-a"), Session("tn-a", "s1"));
        var ledger = Ledger();
        await ledger.ClaimSessionAsync("tn-a", "s1", 4);
        var loggedOutAt = T0.AddMinutes(5);
        var connectedAt = T0.AddMinutes(6);

        await ledger.RecordSessionEventAsync("tn-a", "s1", 4, StateEvent(SessionState.LoggedOut, "", loggedOutAt,
            new SessionError { Reason = SessionProblem.LoggedOut, Message = "Logged out.", Code = 401, Time = Timestamp.FromDateTime(loggedOutAt) }));
        var loggedOut = await RowAsync();
        await ledger.RecordSessionEventAsync("tn-a", "s1", 4, StateEvent(SessionState.Connected, "+15550001111", connectedAt, error: null));
        var connected = await RowAsync();
        Assert.False(await ledger.RecordSessionEventAsync("tn-a", "s1", 3, StateEvent(SessionState.Failed, "", connectedAt.AddMinutes(1), error: null)));

        // DateTime equality compares ticks, not kinds: SQLite's unspecified kind compares equal.
        Assert.Equal(((int)SessionState.LoggedOut, "", SessionProblem.LoggedOut, "Logged out.", 401),
            (loggedOut.State, loggedOut.PhoneNumber, loggedOut.ErrorReason, loggedOut.ErrorMessage, loggedOut.ErrorCode));
        Assert.Equal(loggedOutAt, loggedOut.ErrorTime);
        Assert.Equal(loggedOutAt, loggedOut.UpdateTime);
        Assert.Equal(((int)SessionState.Connected, "+15550001111", "", "", 0, (DateTime?)null),
            (connected.State, connected.PhoneNumber, connected.ErrorReason, connected.ErrorMessage, connected.ErrorCode, connected.ErrorTime));
        Assert.Equal(connectedAt, connected.UpdateTime);
        Assert.Equal((int)SessionState.Connected, (await RowAsync()).State);

        async Task<SessionRecord> RowAsync()
        {
            await using var db = NewContext();
            return await db.Sessions.AsNoTracking().SingleAsync(s => s.TenantId == "tn-a" && s.Id == "s1");
        }
    }

    private static Event StateEvent(SessionState state, string phoneNumber, DateTime time, SessionError? error) => new()
    {
        Type = EventType.SessionStateChanged,
        Time = Timestamp.FromDateTime(time),
        SessionState = new SessionStateChange { State = state, PhoneNumber = phoneNumber, LastError = error },
    };

    private WorkerMessageLedger Ledger() => new(new WagateDbContextFactory(_options));

    private async Task<int> InboundCountAsync()
    {
        await using var db = NewContext();
        return await db.Messages.CountAsync(m => m.Direction == (int)Message.Types.Direction.Inbound);
    }

    private async Task<List<Event>> StatusEventsAsync(string tenantId)
    {
        await using var db = NewContext();
        return [.. await new EventLog(db).ReadAfterAsync(tenantId, 0, new EventFilter([EventType.MessageStatusChanged], []), 1000)];
    }

    private static string MessageId(AcceptedMessage accepted) => MessageId(accepted.Message);

    private static string MessageId(Message message) => message.Name[(message.Name.LastIndexOf('/') + 1)..];

    private static Content Text(string body) => new() { Text = new TextContent { Body = body } };
}
