using Wagate.Contracts.Message.V1;

namespace Wagate.Data.Messages;

/// <summary>The outcome of a send: the message, and whether this call created it (false when an
/// earlier call with the same request id did).</summary>
public sealed record AcceptedMessage(Message Message, bool Created);
