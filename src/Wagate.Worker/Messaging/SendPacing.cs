namespace Wagate.Worker.Messaging;

/// <summary>How fast one session sends: never two messages closer than <see cref="MinimumGap"/>,
/// plus a random part up to <see cref="Jitter"/>. Bursts of machine-regular sends are what gets
/// numbers banned; a person's rhythm is slower and irregular.</summary>
public sealed record SendPacing(TimeSpan MinimumGap, TimeSpan Jitter)
{
    public static readonly SendPacing Default = new(TimeSpan.FromSeconds(1), TimeSpan.FromMilliseconds(500));

    /// <summary>No pacing: for tests and benchmarks of the pipeline itself.</summary>
    public static readonly SendPacing None = new(TimeSpan.Zero, TimeSpan.Zero);

    /// <summary>From WAGATE_SEND_MIN_GAP_MS and WAGATE_SEND_JITTER_MS; the default where unset.</summary>
    public static SendPacing From(Func<string, string?> setting) => new(
        setting("WAGATE_SEND_MIN_GAP_MS") is { Length: > 0 } gap ? TimeSpan.FromMilliseconds(int.Parse(gap, System.Globalization.CultureInfo.InvariantCulture)) : Default.MinimumGap,
        setting("WAGATE_SEND_JITTER_MS") is { Length: > 0 } jitter ? TimeSpan.FromMilliseconds(int.Parse(jitter, System.Globalization.CultureInfo.InvariantCulture)) : Default.Jitter);

    public TimeSpan NextGap() => MinimumGap + TimeSpan.FromMilliseconds(Random.Shared.NextDouble() * Jitter.TotalMilliseconds);
}
