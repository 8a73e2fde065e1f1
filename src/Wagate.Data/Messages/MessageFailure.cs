namespace Wagate.Data.Messages;

/// <summary>Why a message failed, as a worker records it: <paramref name="Reason"/> for programs
/// (Message.failure_reason), <paramref name="Message"/> for people (Message.failure_message).</summary>
public sealed record MessageFailure(string Reason, string Message);
