using System.Globalization;
using Grpc.Core;
using Wagate.Contracts.Message.V1;
using Wagate.Testing;
using Xunit;

namespace Wagate.Gateway.Tests.Messaging;

/// <summary>What a phone sends arrives as an inbound message and as an event; the event stream
/// replays from a cursor and follows, with no gap and no duplicate when resumed.</summary>
public abstract class InboundAndEventsTests(IMessagingFixture host)
{
    protected MessagingSession Messaging => host.Messaging;

    [Fact]
    public async Task A_phones_message_arrives_as_an_inbound_message_and_as_an_event()
    {
        var phone = await Messaging.NewPhoneAsync();

        var sent = (await Messaging.Driver.SendFromPhoneAsync(phone, MessagingSession.SessionPhone, "Is my order on its way?")).Message;

        var inbound = await Poll.UntilAsync(async () => (await Messaging.Messages.ListMessagesAsync(new ListMessagesRequest
        {
            Parent = Messaging.Session, Filter = $"direction = DIRECTION_INBOUND AND chat = \"{phone}\"",
        }, Messaging.Headers)).Messages.SingleOrDefault());
        Assert.Equal((Message.Types.State.Received, "Is my order on its way?"), (inbound.State, inbound.Content.Text.Body));
        // Sent when the phone sent it; created when the session received it, which is not before.
        // (The database keeps microseconds.)
        Assert.InRange((inbound.SendTime.ToDateTime() - sent.SendTime.ToDateTime()).Duration(), TimeSpan.Zero, TimeSpan.FromMilliseconds(1));
        Assert.True(inbound.CreateTime.ToDateTime() >= sent.SendTime.ToDateTime().AddMilliseconds(-1));
        var received = await FirstEventAsync("", e => e.Type == EventType.MessageReceived && e.Message.Name == inbound.Name);
        Assert.Equal(Messaging.Session, received.Session);
        Assert.Equal(phone, received.Message.Chat);
    }

    [Fact]
    public async Task Replies_and_reactions_name_the_same_messages_on_the_phone_and_in_the_api()
    {
        var phone = await Messaging.NewPhoneAsync();
        var question = (await Messaging.Driver.SendFromPhoneAsync(phone, MessagingSession.SessionPhone, "Where is my order?")).Message;
        var inbound = await InboundAsync(phone, m => m.Content.Text.Body == "Where is my order?");

        // The session answers that message and reacts to it, naming it by its resource.
        var answer = (await Messaging.Messages.SendMessageAsync(new SendMessageRequest
        {
            Parent = Messaging.Session, To = phone, ReplyTo = inbound.Name, Text = new TextContent { Body = "On its way" },
        }, Messaging.Headers)).Message;
        var like = (await Messaging.Messages.SendMessageAsync(new SendMessageRequest
        {
            Parent = Messaging.Session, To = phone, Reaction = new ReactionContent { MessageId = IdOf(inbound.Name), Emoji = "👍" },
        }, Messaging.Headers)).Message;
        await Messaging.WaitForAsync(like.Name, m => m.State == Message.Types.State.Delivered);

        // The phone sees them refer to its own message, by the id it knows.
        var onPhone = await Messaging.InboxAsync(phone);
        Assert.Equal(question.Id, onPhone.Single(m => m.Id == IdOf(answer.Name)).Content.ReplyTo);
        Assert.Equal(question.Id, onPhone.Single(m => m.Id == IdOf(like.Name)).Content.Reaction.MessageId);

        // And the phone's reply to its question and reaction to the answer name them as the API does.
        await Messaging.Driver.SendFromPhoneAsync(phone, MessagingSession.SessionPhone, "Thanks", replyTo: question.Id);
        await Messaging.Driver.ReactFromPhoneAsync(phone, MessagingSession.SessionPhone, IdOf(answer.Name), "❤️");
        var thanks = await InboundAsync(phone, m => m.Content.Text?.Body == "Thanks");
        var heart = await InboundAsync(phone, m => m.Content.Reaction is not null);
        Assert.Equal(inbound.Name, thanks.Content.ReplyTo);
        Assert.Equal(IdOf(answer.Name), heart.Content.Reaction.MessageId);
    }

    [Fact]
    public async Task Marking_a_received_message_read_shows_it_read_on_the_senders_phone_once()
    {
        var phone = await Messaging.NewPhoneAsync();
        var question = (await Messaging.Driver.SendFromPhoneAsync(phone, MessagingSession.SessionPhone, "Open today?")).Message;
        var inbound = await InboundAsync(phone, m => m.Content.Text.Body == "Open today?");

        var marked = (await Messaging.Messages.MarkMessageReadAsync(new MarkMessageReadRequest { Name = inbound.Name }, Messaging.Headers)).Message;
        var again = (await Messaging.Messages.MarkMessageReadAsync(new MarkMessageReadRequest { Name = inbound.Name }, Messaging.Headers)).Message;

        Assert.NotNull(marked.ReadTime);
        Assert.Equal(marked.ReadTime, again.ReadTime);
        await Poll.UntilAsync(async () => (await Messaging.InboxAsync(phone)).Single(m => m.Id == question.Id).Status == Contracts.Sandbox.V1.SandboxMessage.Types.Status.Read);
        Assert.Equal(Contracts.Sandbox.V1.SandboxMessage.Types.Status.Read, (await Messaging.InboxAsync(phone)).Single(m => m.Id == question.Id).Status);
    }

    [Fact]
    public async Task Only_received_messages_are_marked_read_and_an_unknown_one_is_404()
    {
        var phone = await Messaging.NewPhoneAsync();
        var sent = (await Messaging.Messages.SendMessageAsync(new SendMessageRequest
        {
            Parent = Messaging.Session, To = phone, Text = new TextContent { Body = "Hello" },
        }, Messaging.Headers)).Message;
        var rest = Messaging.Server.Api(Support.Protocol.Rest);

        var ours = await Assert.ThrowsAsync<RpcException>(() => Messaging.Messages.MarkMessageReadAsync(new MarkMessageReadRequest { Name = sent.Name }, Messaging.Headers).ResponseAsync);
        var (status, body) = await ((Support.RestApi)rest).SendRawAsync(HttpMethod.Post, $"/v1/{sent.Name}:markRead", "{}", Messaging.Account.Key);
        var (missing, _) = await ((Support.RestApi)rest).SendRawAsync(HttpMethod.Post, $"/v1/{Messaging.Session}/messages/ms-nothing:markRead", "{}", Messaging.Account.Key);

        Assert.Equal(StatusCode.FailedPrecondition, ours.StatusCode);
        Assert.Equal((400, true), (status, body.Contains("MESSAGE_NOT_RECEIVED", StringComparison.Ordinal)));
        Assert.Equal(404, missing);
    }

    protected async Task<Message> InboundAsync(string phone, Func<Message, bool> which) =>
        await Poll.UntilAsync(async () => (await Messaging.Messages.ListMessagesAsync(new ListMessagesRequest
        {
            Parent = Messaging.Session, Filter = $"direction = DIRECTION_INBOUND AND chat = \"{phone}\"",
        }, Messaging.Headers)).Messages.FirstOrDefault(which));

    protected static string IdOf(string name) => name[(name.LastIndexOf('/') + 1)..];

    [Fact]
    public async Task Resuming_the_stream_after_a_cursor_gives_every_later_event_once()
    {
        var phone = await Messaging.NewPhoneAsync();
        for (var i = 0; i < 6; i++)
        {
            await Messaging.Messages.SendMessageAsync(new SendMessageRequest { Parent = Messaging.Session, To = phone, Text = new TextContent { Body = $"Update {i}" } }, Messaging.Headers);
        }
        var all = await TakeAsync("", 12);
        var cursors = all.Select(e => long.Parse(e.Cursor, CultureInfo.InvariantCulture)).ToList();
        Assert.Equal(cursors.Order().Distinct(), cursors); // rising, each once

        var resumed = await TakeAsync(all[5].Cursor, 6);

        Assert.Equal(all.Skip(6).Select(e => e.Cursor), resumed.Select(e => e.Cursor));
        Assert.Equal(all.Skip(6), resumed);
    }

    [Fact]
    public async Task Over_rest_the_stream_is_one_json_object_per_line()
    {
        using var guard = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/v1/{Messaging.Account.TenantName}/events:stream?startAfter=0");
        request.Headers.Add("x-api-key", Messaging.Account.Registration.ApiKey.Key);

        using var response = await Messaging.Server.Http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, guard.Token);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(guard.Token));
        var first = Google.Protobuf.JsonParser.Default.Parse<StreamEventsResponse>((await reader.ReadLineAsync(guard.Token))!);
        var second = Google.Protobuf.JsonParser.Default.Parse<StreamEventsResponse>((await reader.ReadLineAsync(guard.Token))!);

        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
        Assert.True(long.Parse(second.Event.Cursor, CultureInfo.InvariantCulture) > long.Parse(first.Event.Cursor, CultureInfo.InvariantCulture));
        Assert.Equal(Messaging.Session, first.Event.Session);
    }

    [Fact]
    public async Task Browsers_get_the_same_stream_over_grpc_web()
    {
        var overGrpc = await TakeAsync("", 2);
        using var guard = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        using var stream = new MessageService.MessageServiceClient(Messaging.Server.GrpcWeb).StreamEvents(
            new StreamEventsRequest { Parent = Messaging.Account.TenantName }, Messaging.Headers, cancellationToken: guard.Token);

        var overGrpcWeb = new List<Event>();
        while (overGrpcWeb.Count < 2 && await stream.ResponseStream.MoveNext(guard.Token))
        {
            overGrpcWeb.Add(stream.ResponseStream.Current.Event);
        }

        Assert.Equal(overGrpc, overGrpcWeb);
    }

    private async Task<List<Event>> TakeAsync(string startAfter, int count)
    {
        using var guard = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        using var stream = Messaging.Messages.StreamEvents(new StreamEventsRequest { Parent = Messaging.Account.TenantName, StartAfter = startAfter },
            Messaging.Headers, cancellationToken: guard.Token);
        var events = new List<Event>();
        while (events.Count < count && await stream.ResponseStream.MoveNext(guard.Token))
        {
            events.Add(stream.ResponseStream.Current.Event);
        }
        return events;
    }

    private async Task<Event> FirstEventAsync(string startAfter, Func<Event, bool> match)
    {
        using var guard = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        using var stream = Messaging.Messages.StreamEvents(new StreamEventsRequest { Parent = Messaging.Account.TenantName, StartAfter = startAfter },
            Messaging.Headers, cancellationToken: guard.Token);
        while (await stream.ResponseStream.MoveNext(guard.Token))
        {
            if (match(stream.ResponseStream.Current.Event))
            {
                return stream.ResponseStream.Current.Event;
            }
        }
        throw new InvalidOperationException("The stream ended.");
    }
}

public sealed class SingleNodeInboundAndEventsTests(SingleNodeMessagingFixture fixture) : InboundAndEventsTests(fixture), IClassFixture<SingleNodeMessagingFixture>;

public sealed class ClusterInboundAndEventsTests(ClusterMessagingFixture fixture) : InboundAndEventsTests(fixture), IClassFixture<ClusterMessagingFixture>;
