using Wagate.Contracts.Message.V1;

namespace Wagate.Data.Events;

/// <summary>Which events a reader wants: an empty list means every type, or every session.</summary>
public sealed record EventFilter(IReadOnlyCollection<EventType> Types, IReadOnlyCollection<string> SessionIds)
{
    public static EventFilter All { get; } = new([], []);
}
