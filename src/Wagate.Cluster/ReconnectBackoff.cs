namespace Wagate.Cluster;

/// <summary>Exponential backoff with jitter for reconnects: many sessions dropped at once (a
/// network blip), or the watches of many processes when a store restarts, must not come back
/// in lockstep.</summary>
public sealed record ReconnectBackoff(TimeSpan Initial, TimeSpan Maximum)
{
    public static readonly ReconnectBackoff Default = new(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(60));

    /// <summary>The delay before reconnect attempt <paramref name="attempt"/> (0-based): the
    /// capped exponential delay scaled by a random factor in [0.5, 1).</summary>
    public TimeSpan Delay(int attempt)
    {
        var exponential = Initial.TotalMilliseconds * Math.Pow(2, Math.Min(attempt, 20));
        var capped = Math.Min(exponential, Maximum.TotalMilliseconds);
        return TimeSpan.FromMilliseconds(capped * (0.5 + Random.Shared.NextDouble() / 2));
    }
}
