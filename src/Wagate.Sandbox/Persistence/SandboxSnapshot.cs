using System.Text.Json.Serialization;

namespace Wagate.Sandbox.Persistence;

/// <summary>What the network must remember across restarts of a single node, as WhatsApp's
/// servers remember linked devices: phones and their messages, devices with their secrets and
/// counters, and what waits for offline devices.</summary>
public sealed record SandboxSnapshot(
    [property: JsonPropertyName("phones")] List<PhoneSnapshot> Phones,
    [property: JsonPropertyName("devices")] List<DeviceSnapshot> Devices,
    [property: JsonPropertyName("messages")] List<MessageSnapshot> Messages);

public sealed record PhoneSnapshot(string Tenant, string Number, DateTimeOffset CreateTime, bool Online, List<string> MessageIds);

public sealed record DeviceSnapshot(
    string Id, string Secret, string Tenant, string Session, string Number, long Counter,
    List<string> Contacts, DateTimeOffset RestrictedUntil, List<string> SentIds, List<PendingSnapshot> Backlog);

/// <summary>An inbound message (<see cref="MessageId"/>) or a receipt (the other fields).
/// <see cref="ReceiptTime"/> is absent from files saved before receipts had times.</summary>
public sealed record PendingSnapshot(string? MessageId, string? ReceiptId, int ReceiptStatus, int ErrorCode, string? Error,
    DateTimeOffset? ReceiptTime = null);

/// <summary>A message; <see cref="Content"/> is the wagate.message.v1.Content in protobuf form,
/// absent from files saved when messages were text only (<see cref="Text"/> is that text; it
/// is the summary otherwise).</summary>
public sealed record MessageSnapshot(
    string Id, string From, string To, string Text, DateTimeOffset SendTime, int Status, string? SenderDeviceId,
    byte[]? Content = null, TimeSpan? Typing = null);

[JsonSerializable(typeof(SandboxSnapshot))]
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
public sealed partial class SandboxSnapshotJson : JsonSerializerContext;
