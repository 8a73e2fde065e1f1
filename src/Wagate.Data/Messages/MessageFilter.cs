using Wagate.Contracts.Message.V1;

namespace Wagate.Data.Messages;

/// <summary>Conditions on a session's messages, all of which must hold; null means any. The
/// gateway gets it from ListMessages' filter through <see cref="MessageFilterParser"/>.</summary>
public sealed record MessageFilter
{
    public static MessageFilter None { get; } = new();

    public Message.Types.Direction? Direction { get; init; }
    public Message.Types.State? State { get; init; }
    public string? Chat { get; init; }
    public TimeBound? MinCreateTime { get; init; }
    public TimeBound? MaxCreateTime { get; init; }
}
