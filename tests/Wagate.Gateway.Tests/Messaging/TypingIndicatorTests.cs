using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Wagate.Contracts.Message.V1;
using Xunit;
using State = Wagate.Contracts.Message.V1.Message.Types.State;

namespace Wagate.Gateway.Tests.Messaging;

/// <summary>With WAGATE_SEND_TYPING_MS set, the recipient sees the session typing (recording,
/// before a voice note) for that long before each message arrives; never before a reaction. A
/// send may ask for its own typing time, or none.</summary>
public abstract class TypingIndicatorTests(IMessagingFixture host)
{
    public static readonly TimeSpan Typing = TimeSpan.FromMilliseconds(400);

    /// <summary>The setting of whatever sends (the single node, or a cluster's workers).</summary>
    public static readonly string TypingSetting = $"--WAGATE_SEND_TYPING_MS={Typing.TotalMilliseconds}";

    private MessagingSession Messaging => host.Messaging;

    [Fact]
    public async Task The_recipient_sees_the_session_typing_before_a_text_and_recording_before_a_voice_note_but_not_before_a_reaction()
    {
        var phone = await Messaging.NewPhoneAsync();

        var text = await SendAsync(new SendMessageRequest { Text = new TextContent { Body = "Let me check" } }, phone);
        var voice = await SendAsync(new SendMessageRequest { Audio = new MediaContent { Data = ByteString.CopyFromUtf8("OggS"), MimeType = "audio/ogg", VoiceNote = true } }, phone);
        var reaction = await SendAsync(new SendMessageRequest { Reaction = new ReactionContent { MessageId = text.Name, Emoji = "👍" } }, phone);

        var inbox = await Messaging.InboxAsync(phone);
        // The session waited the configured time after showing it: the phone saw it at least
        // that long (a little less is timer granularity, not a skipped indicator).
        var atLeast = Typing - TimeSpan.FromMilliseconds(50);
        Assert.True(inbox.Single(m => m.Id == IdOf(text)).Typing?.ToTimeSpan() >= atLeast, "no typing shown before the text");
        Assert.True(inbox.Single(m => m.Id == IdOf(voice)).Typing?.ToTimeSpan() >= atLeast, "no recording shown before the voice note");
        Assert.Null(inbox.Single(m => m.Id == IdOf(reaction)).Typing);
    }

    [Fact]
    public async Task A_send_asks_for_its_own_typing_time_or_none_over_the_workers_default()
    {
        var phone = await Messaging.NewPhoneAsync();

        var longer = await SendAsync(new SendMessageRequest { Text = new TextContent { Body = "Thinking..." }, Typing = Duration.FromTimeSpan(TimeSpan.FromMilliseconds(900)) }, phone);
        var none = await SendAsync(new SendMessageRequest { Text = new TextContent { Body = "At once" }, Typing = new Duration() }, phone);

        Assert.Equal(TimeSpan.FromMilliseconds(900), longer.Typing.ToTimeSpan());
        var inbox = await Messaging.InboxAsync(phone);
        Assert.True(inbox.Single(m => m.Id == IdOf(longer)).Typing?.ToTimeSpan() >= TimeSpan.FromMilliseconds(850), "the send's own typing time was not shown");
        Assert.Null(inbox.Single(m => m.Id == IdOf(none)).Typing);
    }

    private async Task<Message> SendAsync(SendMessageRequest request, string phone)
    {
        request.Parent = Messaging.Session;
        request.To = phone;
        var sent = (await Messaging.Messages.SendMessageAsync(request, Messaging.Headers)).Message;
        return await Messaging.WaitForAsync(sent.Name, m => m.State == State.Delivered);
    }

    private static string IdOf(Message message) => message.Name[(message.Name.LastIndexOf('/') + 1)..];
}

public sealed class SingleNodeTypingIndicatorTests(SingleNodeTypingIndicatorTests.TypingSingleNode fixture)
    : TypingIndicatorTests(fixture), IClassFixture<SingleNodeTypingIndicatorTests.TypingSingleNode>
{
    public sealed class TypingSingleNode : SingleNodeMessagingFixture
    {
        protected override IReadOnlyList<string> Settings => [.. base.Settings, TypingSetting];
    }
}

public sealed class ClusterTypingIndicatorTests(ClusterTypingIndicatorTests.TypingCluster fixture)
    : TypingIndicatorTests(fixture), IClassFixture<ClusterTypingIndicatorTests.TypingCluster>
{
    public sealed class TypingCluster : ClusterMessagingFixture
    {
        protected override IReadOnlyList<string> WorkerSettings => [.. base.WorkerSettings, TypingSetting];
    }
}
