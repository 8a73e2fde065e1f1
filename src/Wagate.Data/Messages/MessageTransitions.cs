using Wagate.Contracts.Message.V1;
using State = Wagate.Contracts.Message.V1.Message.Types.State;

namespace Wagate.Data.Messages;

/// <summary>Where an outbound message may come from to reach a state. States only move forward,
/// QUEUED -> SENT -> DELIVERED -> READ -> PLAYED, skipping being fine (a read receipt can
/// arrive without a delivery receipt), or to FAILED from QUEUED or SENT. Receipts arrive late
/// and out of order, so anything else is a stale report to ignore, not an error.</summary>
internal static class MessageTransitions
{
    private static readonly int[] ToSent = [(int)State.Queued];
    private static readonly int[] ToDelivered = [(int)State.Queued, (int)State.Sent];
    private static readonly int[] ToRead = [(int)State.Queued, (int)State.Sent, (int)State.Delivered];
    private static readonly int[] ToPlayed = [(int)State.Queued, (int)State.Sent, (int)State.Delivered, (int)State.Read];
    private static readonly int[] ToFailed = [(int)State.Queued, (int)State.Sent];

    public static int[] AllowedFrom(State state) => state switch
    {
        State.Sent => ToSent,
        State.Delivered => ToDelivered,
        State.Read => ToRead,
        State.Played => ToPlayed,
        State.Failed => ToFailed,
        _ => throw new ArgumentOutOfRangeException(nameof(state), state, "A worker reports SENT, DELIVERED, READ, PLAYED or FAILED."),
    };
}
