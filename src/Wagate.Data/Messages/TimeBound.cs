namespace Wagate.Data.Messages;

/// <summary>One end of a time range: <c>&gt;=</c> or <c>&lt;=</c> when inclusive, <c>&gt;</c> or
/// <c>&lt;</c> when not.</summary>
public sealed record TimeBound(DateTime Time, bool Inclusive);
