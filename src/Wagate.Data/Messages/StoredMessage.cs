using Wagate.Contracts.Message.V1;

namespace Wagate.Data.Messages;

/// <summary>A message as the API shows it, and the id WhatsApp knows it by.</summary>
public sealed record StoredMessage(Message Message, string WhatsAppId);
