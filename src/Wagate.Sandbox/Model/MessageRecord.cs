using Wagate.Contracts.Sandbox.V1;

namespace Wagate.Sandbox.Model;

/// <summary>A message between a phone and a linked device.</summary>
internal sealed class MessageRecord(string id, string from, string to, string text, DateTimeOffset sendTime)
{
    public string Id { get; } = id;
    public string From { get; } = from;
    public string To { get; } = to;
    public string Text { get; } = text;
    public DateTimeOffset SendTime { get; } = sendTime;
    public SandboxMessage.Types.Status Status { get; set; } = SandboxMessage.Types.Status.Sent;
    /// <summary>The device that sent it, when a device did (receipts go back to it).</summary>
    public Device? SenderDevice { get; init; }
}
