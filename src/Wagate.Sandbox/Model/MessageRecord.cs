using Wagate.Contracts.Message.V1;
using Wagate.Contracts.Sandbox.V1;

namespace Wagate.Sandbox.Model;

/// <summary>A message between a phone and a linked device. <paramref name="content"/> is kept
/// as <see cref="SandboxContent.Recorded"/> made it: no inline media.</summary>
internal sealed class MessageRecord(string id, string from, string to, Content content, DateTimeOffset sendTime)
{
    public string Id { get; } = id;
    public string From { get; } = from;
    public string To { get; } = to;
    public Content Content { get; } = content;
    public SandboxMessage.Types.Kind Kind { get; } = SandboxContent.KindOf(content);
    /// <summary>The text, or what a chat list would show of other content.</summary>
    public string Summary { get; } = SandboxContent.Summary(content);
    public DateTimeOffset SendTime { get; } = sendTime;
    public SandboxMessage.Types.Status Status { get; set; } = SandboxMessage.Types.Status.Sent;
    /// <summary>The device that sent it, when a device did (receipts go back to it).</summary>
    public Device? SenderDevice { get; init; }
    /// <summary>How long the recipient saw the sender typing (or recording) right before it.</summary>
    public TimeSpan? Typing { get; init; }
}
