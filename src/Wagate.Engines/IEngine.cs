using System.Threading.Channels;
using Wagate.Contracts.Message.V1;
using Wagate.Contracts.Session.V1;
using Wagate.Core;

namespace Wagate.Engines;

/// <summary>The port every WhatsApp engine implements, shaped after Baileys: a connection is
/// started from the stored state, reports what happens as <see cref="EngineEvent"/>s, and takes
/// commands. One connection is one socket: when it closes, the session runtime decides whether
/// and when to start another (Baileys does not reconnect by itself either).</summary>
public interface IEngine
{
    Engine Kind { get; }

    Task<IEngineConnection> ConnectAsync(EngineStart start, CancellationToken cancellationToken = default);
}

/// <summary>What a connection starts from. <paramref name="FencingToken"/> proves ownership of
/// the session; engines pass it along but never interpret it.</summary>
public sealed record EngineStart(string Tenant, string Session, SessionState State, long FencingToken);

/// <summary>One live engine connection.</summary>
public interface IEngineConnection : IAsyncDisposable
{
    /// <summary>Everything the connection reports, ending after a <see cref="EngineEvent.Closed"/>.</summary>
    ChannelReader<EngineEvent> Events { get; }

    /// <summary>Sends a message; completes once it is on its way (its state change durable, the
    /// stanza written), not when the server acknowledges it. It may be called again before an
    /// earlier call completed: messages leave in the order of the calls, and what each changes in
    /// the session state is persisted before it leaves, as one write for those in flight together.</summary>
    Task SendAsync(OutgoingMessage message, CancellationToken cancellationToken = default);

    /// <summary>Shows <paramref name="chat"/> (E.164 or a chat id) that the session is
    /// typing or recording audio, or stops showing it, as Baileys'
    /// <c>sendPresenceUpdate('composing' | 'recording' | 'paused', jid)</c>. A message sent to
    /// that chat ends it too.</summary>
    Task SendChatStateAsync(string chat, ChatState state, CancellationToken cancellationToken = default);

    /// <summary>Tells <paramref name="chat"/> that the session read its messages
    /// <paramref name="messageIds"/> (WhatsApp's ids of received messages): their sender sees
    /// them read, as Baileys' <c>readMessages(keys)</c>.</summary>
    Task MarkReadAsync(string chat, IReadOnlyCollection<string> messageIds, CancellationToken cancellationToken = default);

    /// <summary>Only while QR codes are showing; the code arrives as <see cref="EngineEvent.PairingCodeIssued"/>.</summary>
    Task RequestPairingCodeAsync(string phoneNumber, CancellationToken cancellationToken = default);

    /// <summary>Unlinks the device; the connection then closes with <see cref="CloseReason.LoggedOut"/>.</summary>
    Task LogoutAsync(CancellationToken cancellationToken = default);
}

/// <summary>A message to send, as Baileys' <c>sendMessage(jid, content, { messageId, quoted })</c>
/// takes it. <paramref name="Id"/> is ours and becomes the message's id on WhatsApp, so receipts
/// (<see cref="EngineEvent.MessageStatusChanged"/>) can be matched to it. <paramref name="To"/> is
/// the recipient (E.164 or a chat id). <paramref name="Content"/> is exactly one kind, each what
/// Baileys builds one message from: text with mentions (<c>{ text, mentions }</c>), image
/// (<c>{ image, caption }</c>), video, audio (<c>{ audio, ptt }</c> for a voice note), document
/// (<c>{ document, mimetype, fileName }</c>) by URL or inline data, location, contact vCard
/// (<c>{ contacts }</c>), reaction (<c>{ react }</c>), poll; <c>reply_to</c> is Baileys'
/// <c>quoted</c>. Earlier messages (<c>reply_to</c>, <c>reaction.message_id</c>) may be named by
/// resource name or by bare id: engines use the id (<see cref="MessageReferences.IdOf"/>). Media
/// comes with its source, a URL or the data itself, which the engine uploads; media described
/// only by size and SHA-256 (as the outbox keeps it) is refused with <see cref="ArgumentException"/>.</summary>
public sealed record OutgoingMessage(string Id, string To, Content Content);

/// <summary>What a chat sees of a session preparing a message to it.</summary>
public enum ChatState
{
    /// <summary>"typing..."</summary>
    Typing,

    /// <summary>"recording audio..."</summary>
    Recording,

    /// <summary>Nothing any more.</summary>
    Paused,
}
