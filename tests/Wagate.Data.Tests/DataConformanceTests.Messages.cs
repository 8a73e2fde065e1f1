using Google.Protobuf;
using Microsoft.EntityFrameworkCore;
using Wagate.Contracts.Message.V1;
using Wagate.Core;
using Wagate.Data.Messages;
using Xunit;
using Direction = Wagate.Contracts.Message.V1.Message.Types.Direction;
using State = Wagate.Contracts.Message.V1.Message.Types.State;

namespace Wagate.Data.Tests;

/// <summary>The gateway's side of messages: idempotent acceptance into the outbox, reads and
/// newest-first pages, all within one tenant.</summary>
public abstract partial class DataConformanceTests
{
    [Fact]
    public async Task An_accepted_message_is_queued_with_its_status_event()
    {
        await SeedAsync(Tenant("tn-a"), Session("tn-a", "s1"));

        var accepted = await AcceptAsync("tn-a", "s1", "hello", requestId: "req-1");

        Assert.True(accepted.Created);
        var message = accepted.Message;
        Assert.Equal(message, await GetMessageAsync("tn-a", "s1", MessageId(message)));
        Assert.Equal(State.Queued, message.State);
        Assert.Equal(Direction.Outbound, message.Direction);
        Assert.Equal("req-1", message.RequestId);
        Assert.Equal("+15550002222", message.Chat);
        Assert.Equal(T0, message.CreateTime.ToDateTime());
        var change = Assert.Single(await StatusEventsAsync("tn-a"));
        Assert.Equal(message, change.Message);
        Assert.Equal("tenants/tn-a/sessions/s1", change.Session);
    }

    [Fact]
    public async Task A_repeated_request_id_returns_the_message_already_accepted()
    {
        await SeedAsync(Tenant("tn-a"), Session("tn-a", "s1"), Session("tn-a", "s2"));
        var first = await AcceptAsync("tn-a", "s1", "hello", requestId: "req-1");

        var again = await AcceptAsync("tn-a", "s1", "hello again", requestId: "req-1", at: T0.AddMinutes(1));
        var otherSession = await AcceptAsync("tn-a", "s2", "hello", requestId: "req-1");
        var noRequestId = await AcceptAsync("tn-a", "s1", "hello", requestId: "");

        Assert.False(again.Created);
        Assert.Equal(first.Message, again.Message);
        Assert.True(otherSession.Created);
        Assert.True(noRequestId.Created);
        Assert.Equal("", noRequestId.Message.RequestId);
        Assert.Equal(3, (await StatusEventsAsync("tn-a")).Count);
    }

    [Fact]
    public async Task A_group_commits_its_sends_together_and_one_send_s_problem_costs_the_others_nothing()
    {
        await SeedAsync(Tenant("tn-a"), Session("tn-a", "s1"), Session("tn-a", "s2"));
        var earlier = await AcceptAsync("tn-a", "s1", "hello", requestId: "req-1");
        OutboundSend Send(string session, string body, string? requestId = null) =>
            new("tn-a", session, requestId, "+15550002222", Text(body), T0.AddMinutes(1), RecordIds.NewMessageId(), Typing: null);

        await using var db = NewContext();
        var clean = await new GatewayMessageStore(db).AcceptAllAsync([Send("s1", "one"), Send("s2", "two"), Send("s1", "three")]);
        var troubled = await new GatewayMessageStore(db).AcceptAllAsync(
            [Send("s1", "four"), Send("s1", "hello again", requestId: "req-1"), Send("no-such-session", "lost"), Send("s2", "five")]);

        var cleanAccepted = await Task.WhenAll(clean);
        Assert.All(cleanAccepted, accepted => Assert.True(accepted.Created));
        Assert.Equal(["one", "two", "three"], cleanAccepted.Select(a => a.Message.Content.Text.Body));
        Assert.True((await troubled[0]).Created);
        var repeated = await troubled[1];
        Assert.Equal((false, earlier.Message), (repeated.Created, repeated.Message));
        Assert.True(DbErrors.IsForeignKeyViolation(await Assert.ThrowsAnyAsync<DbUpdateException>(() => troubled[2])));
        Assert.True((await troubled[3]).Created);
        // One status event per message accepted, none for the refused or the repeated one.
        Assert.Equal(["hello", "one", "two", "three", "four", "five"], (await StatusEventsAsync("tn-a")).Select(e => e.Message.Content.Text.Body));
    }

    [Fact]
    public async Task Of_fifty_concurrent_sends_with_one_request_id_one_is_stored_and_every_caller_gets_it()
    {
        await SeedAsync(Tenant("tn-a"), Session("tn-a", "s1"));

        var results = await Task.WhenAll(Enumerable.Range(0, 50).Select(_ => Task.Run(() =>
            AcceptAsync("tn-a", "s1", "hello", requestId: "req-race"))));

        Assert.Single(results, r => r.Created);
        Assert.Single(results.Select(r => r.Message.Name).Distinct());
        await using var db = NewContext();
        Assert.Equal(1, await db.Messages.CountAsync());
        Assert.Single(await StatusEventsAsync("tn-a"));
    }

    [Fact]
    public async Task Inline_media_data_never_reaches_the_database()
    {
        await SeedAsync(Tenant("tn-a"), Session("tn-a", "s1"));
        var withData = new Content { Image = new MediaContent { Data = ByteString.CopyFromUtf8("not really a jpeg"), Caption = "look" } };
        await using var db = NewContext();
        var store = new GatewayMessageStore(db);

        await Assert.ThrowsAsync<ArgumentException>(() => store.AcceptAsync("tn-a", "s1", null, "+15550002222", withData, T0));
        var accepted = await store.AcceptAsync("tn-a", "s1", null, "+15550002222", MessageContents.WithoutInlineData(withData), T0);

        var image = accepted.Message.Content.Image;
        Assert.Equal(MediaContent.SourceOneofCase.None, image.SourceCase);
        Assert.Equal(17, image.SizeBytes);
        Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData("not really a jpeg"u8)), image.Sha256);
        Assert.Equal("look", image.Caption);
        Assert.DoesNotContain("data", await db.Messages.Select(m => m.Content).SingleAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Pages_of_a_session_s_messages_run_newest_first_without_gaps_or_repeats()
    {
        await SeedAsync(Tenant("tn-a"), Session("tn-a", "s1"), Session("tn-a", "s2"));
        var created = new List<Message>();
        foreach (var second in new[] { 0, 1, 1, 1, 2, 3, 3 }) // equal times: the id breaks the tie
        {
            created.Add((await AcceptAsync("tn-a", "s1", "m", at: T0.AddSeconds(second).AddTicks(10 * second))).Message);
        }
        await AcceptAsync("tn-a", "s2", "elsewhere");
        var expected = created.OrderByDescending(m => m.CreateTime).ThenByDescending(m => MessageId(m), StringComparer.Ordinal)
            .Select(m => m.Name).ToList();

        var pages = new List<MessagePage>();
        MessagePageToken? next = null;
        do
        {
            await using var db = NewContext();
            var page = await new GatewayMessageStore(db).ListAsync("tn-a", "s1", MessageFilter.None, next, 3);
            pages.Add(page);
            // The token goes to the client as text and comes back.
            next = page.Next is null ? null : MessagePageToken.TryDecode(page.Next.Encode(), out var decoded) ? decoded : throw new InvalidOperationException();
        }
        while (next is not null);

        Assert.Equal([3, 3, 1], pages.Select(p => p.Messages.Count));
        Assert.Equal(expected, pages.SelectMany(p => p.Messages).Select(m => m.Name));
    }

    [Fact]
    public async Task A_list_filter_narrows_by_direction_state_chat_and_create_time()
    {
        await SeedAsync(Tenant("tn-a"), Session("tn-a", "s1"));
        var ledger = Ledger();
        await ledger.ClaimSessionAsync("tn-a", "s1", 1);
        await AcceptAsync("tn-a", "s1", "early", at: T0);
        var failed = await AcceptAsync("tn-a", "s1", "failed", at: T0.AddHours(1));
        await AcceptAsync("tn-a", "s1", "other chat", chat: "+15550009999", at: T0.AddHours(2));
        await ledger.RecordStatusAsync("tn-a", "s1", 1, MessageId(failed), State.Failed, T0.AddHours(1));
        await ledger.RecordInboundAsync("tn-a", "s1", 1, "3EB0DD", "+15550002222", Text("inbound"), T0.AddHours(3));

        async Task<List<string>> ListAsync(string filter)
        {
            await using var db = NewContext();
            var page = await new GatewayMessageStore(db).ListAsync("tn-a", "s1", MessageFilterParser.Parse(filter), null, 100);
            return page.Messages.Select(m => m.Content.Text.Body).ToList();
        }

        Assert.Equal(["inbound"], await ListAsync("direction = DIRECTION_INBOUND"));
        Assert.Equal(["failed"], await ListAsync("direction = DIRECTION_OUTBOUND AND state = STATE_FAILED"));
        Assert.Equal(["other chat"], await ListAsync("chat = \"+15550009999\""));
        Assert.Equal(["inbound", "other chat", "failed"], await ListAsync("create_time >= \"2026-11-01T13:00:00Z\""));
        Assert.Equal(["other chat"], await ListAsync("create_time > \"2026-11-01T13:00:00Z\" AND create_time < \"2026-11-01T15:00:00Z\""));
        Assert.Equal(["failed", "early"], await ListAsync("create_time <= \"2026-11-01T13:00:00Z\""));
        Assert.Equal(["early"], await ListAsync("create_time = \"2026-11-01T12:00:00Z\""));
        Assert.Equal(["other chat", "failed", "early"], await ListAsync("direction = DIRECTION_OUTBOUND"));
    }

    [Fact]
    public async Task A_tenant_never_gets_or_lists_another_tenant_s_messages()
    {
        await SeedAsync(Tenant("tn-a"), Tenant("tn-b"), Session("tn-a", "s1"), Session("tn-b", "s1"));
        var theirs = await AcceptAsync("tn-b", "s1", "theirs", requestId: "req-1");
        await using var db = NewContext();
        var store = new GatewayMessageStore(db);

        var mine = await store.AcceptAsync("tn-a", "s1", "req-1", "+15550002222", Text("mine"), T0);
        var listed = await store.ListAsync("tn-a", "s1", MessageFilter.None, null, 10);

        Assert.True(mine.Created);
        Assert.Null(await store.GetAsync("tn-a", "s1", MessageId(theirs)));
        Assert.Equal([mine.Message], listed.Messages);
        Assert.Equal(1, await store.CountOutboundSinceAsync("tn-a", T0));
    }

    [Fact]
    public async Task The_daily_quota_counts_the_tenant_s_outbound_messages_since_a_time()
    {
        await SeedAsync(Tenant("tn-a"), Tenant("tn-b"), Session("tn-a", "s1"), Session("tn-a", "s2"), Session("tn-b", "s1"));
        var ledger = Ledger();
        await ledger.ClaimSessionAsync("tn-a", "s1", 1);
        await AcceptAsync("tn-a", "s1", "yesterday", at: T0.AddDays(-1));
        await AcceptAsync("tn-a", "s1", "today", at: T0);
        await AcceptAsync("tn-a", "s2", "today too", at: T0.AddHours(1));
        await AcceptAsync("tn-b", "s1", "another tenant", at: T0);
        await ledger.RecordInboundAsync("tn-a", "s1", 1, "3EB0EE", "+15550002222", Text("inbound"), T0);
        await using var db = NewContext();

        Assert.Equal(2, await new GatewayMessageStore(db).CountOutboundSinceAsync("tn-a", T0));
    }

    [Fact]
    public async Task A_send_keeps_the_id_and_typing_time_it_was_accepted_with_and_the_outbox_shows_them()
    {
        await SeedAsync(Tenant("tn-a"), Session("tn-a", "s1"));
        await using (var db = NewContext())
        {
            await new GatewayMessageStore(db).AcceptAsync("tn-a", "s1", null, "+15550002222", Text("typed"), T0, "ms-chosen", TimeSpan.FromSeconds(3));
        }

        var queued = Assert.Single(await Ledger().QueuedAsync("tn-a", "s1"));

        Assert.Equal(("tenants/tn-a/sessions/s1/messages/ms-chosen", TimeSpan.FromSeconds(3)), (queued.Name, queued.Typing.ToTimeSpan()));
        Assert.Null((await AcceptAsync("tn-a", "s1", "plain")).Message.Typing);
    }

    [Fact]
    public async Task Rows_written_with_fields_this_version_does_not_know_still_read()
    {
        await SeedAsync(Tenant("tn-a"), Session("tn-a", "s1"));
        var id = MessageId(await AcceptAsync("tn-a", "s1", "hello"));
        await using (var db = NewContext())
        {
            // As an older version wrote them: a reaction by "message", a failure as an object.
            await db.Messages.Where(m => m.Id == id).ExecuteUpdateAsync(set => set.SetProperty(m => m.Content,
                """{"reaction":{"message":"tenants/tn-a/sessions/s1/messages/m0","emoji":"👍"}}"""));
            await db.Events.Where(e => e.TenantId == "tn-a").ExecuteUpdateAsync(set => set.SetProperty(e => e.Payload,
                """{"type":"EVENT_TYPE_MESSAGE_STATUS_CHANGED","message":{"state":"STATE_FAILED","failure":{"reason":"OLD"}}}"""));
        }

        var message = await GetMessageAsync("tn-a", "s1", id);
        var change = Assert.Single(await StatusEventsAsync("tn-a"));

        Assert.Equal(("", "👍"), (message!.Content.Reaction.MessageId, message.Content.Reaction.Emoji));
        Assert.Equal(State.Failed, change.Message.State);
    }

    private async Task<AcceptedMessage> AcceptAsync(
        string tenantId, string sessionId, string body, string? requestId = null, string chat = "+15550002222", DateTime? at = null)
    {
        await using var db = NewContext();
        return await new GatewayMessageStore(db).AcceptAsync(tenantId, sessionId, requestId, chat, Text(body), at ?? T0);
    }

    private async Task<Message?> GetMessageAsync(string tenantId, string sessionId, string messageId)
    {
        await using var db = NewContext();
        return await new GatewayMessageStore(db).GetAsync(tenantId, sessionId, messageId);
    }
}
