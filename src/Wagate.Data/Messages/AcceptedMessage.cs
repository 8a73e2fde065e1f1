using Wagate.Contracts.Message.V1;

namespace Wagate.Data.Messages;

/// <summary>The outcome of a send: the message, and whether this call created it (false when an
/// earlier call with the same request id did).</summary>
public sealed record AcceptedMessage(Message Message, bool Created);

/// <summary>A send to accept into the outbox. <see cref="Content"/> holds no inline media data
/// (see <see cref="MessageContents.WithoutInlineData"/>); <see cref="MessageId"/> is the new
/// message's id, chosen by the caller (its media is stored under it); <see cref="Typing"/> is how
/// long to show "typing..." before sending it, the worker's default when null.</summary>
public sealed record OutboundSend(
    string TenantId, string SessionId, string? RequestId, string Chat, Content Content, DateTime Now, string MessageId, TimeSpan? Typing);
