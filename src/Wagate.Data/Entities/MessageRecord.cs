namespace Wagate.Data.Entities;

/// <summary>A message a session sent or received: the outbox of sends and the log of both.
/// Direction and State hold the API's enum numbers (Message.Direction, Message.State), which the
/// contract never renumbers. <see cref="Content"/> is the protobuf JSON of the message's
/// Content without inline media data: media bytes never go into the database.</summary>
public sealed class MessageRecord
{
    public required string TenantId { get; set; }
    public required string SessionId { get; set; }
    /// <summary>Our id, the last part of the message's resource name.</summary>
    public required string Id { get; set; }
    public int Direction { get; set; }
    public required string Chat { get; set; }
    /// <summary>The client's idempotency key of an outbound message, unique per session.</summary>
    public string? RequestId { get; set; }
    /// <summary>WhatsApp's id of an inbound message, unique per session, so a message the
    /// engine hands over twice is stored once. WhatsApp's ids are upper-case and not resource
    /// ids, hence a column of their own.</summary>
    public string? ExternalId { get; set; }
    public required string Content { get; set; }
    public int State { get; set; }
    public string FailureReason { get; set; } = "";
    public string FailureMessage { get; set; } = "";
    /// <summary>How long to show "typing..." before sending, when the send asked for it.</summary>
    public int? TypingMillis { get; set; }
    public DateTime CreateTime { get; set; }
    public DateTime? SendTime { get; set; }
    public DateTime? DeliverTime { get; set; }
    public DateTime? ReadTime { get; set; }
    public DateTime? PlayTime { get; set; }
    public DateTime? FailTime { get; set; }
    public DateTime UpdateTime { get; set; }
}
