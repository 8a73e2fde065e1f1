using Wagate.Contracts.Message.V1;

namespace Wagate.Data.Messages;

/// <summary>One page of a message list, and where the next one starts (null on the last).</summary>
public sealed record MessagePage(IReadOnlyList<Message> Messages, MessagePageToken? Next);
