using Wagate.Settings;
using Wagate.WhatsApp;

namespace Wagate.Worker.Messaging;

/// <summary>How fast one session sends: never two messages closer than <see cref="MinimumGap"/>,
/// plus a random part up to <see cref="Jitter"/>, and, when <see cref="Typing"/> is set, the
/// recipient sees "typing..." (or "recording audio..." before a voice note) that long before each
/// message. Bursts of machine-regular sends are what gets numbers banned; a person's rhythm is
/// slower and irregular, and a person types before a message appears.</summary>
public sealed record SendPacing(TimeSpan MinimumGap, TimeSpan Jitter, TimeSpan Typing = default)
{
    public static readonly SendPacing Default = new(TimeSpan.FromSeconds(1), TimeSpan.FromMilliseconds(500));

    /// <summary>No pacing: for tests and benchmarks of the pipeline itself.</summary>
    public static readonly SendPacing None = new(TimeSpan.Zero, TimeSpan.Zero);

    /// <summary>From WAGATE_SEND_MIN_GAP_MS, WAGATE_SEND_JITTER_MS and WAGATE_SEND_TYPING_MS; the
    /// default where unset (no typing indicator).</summary>
    /// <exception cref="InvalidSettingException">A negative time, or typing longer than WhatsApp shows it.</exception>
    public static SendPacing From(SettingReader settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var pacing = new SendPacing(
            settings.Milliseconds("WAGATE_SEND_MIN_GAP_MS", Default.MinimumGap),
            settings.Milliseconds("WAGATE_SEND_JITTER_MS", Default.Jitter),
            settings.Milliseconds("WAGATE_SEND_TYPING_MS", Default.Typing));
        if (pacing.Typing > WhatsAppLimits.LongestTyping)
        {
            throw new InvalidSettingException("WAGATE_SEND_TYPING_MS",
                $"is at most {WhatsAppLimits.LongestTyping.TotalMilliseconds}: WhatsApp stops showing typing after about 25 s");
        }
        return pacing;
    }

    public TimeSpan NextGap() => MinimumGap + TimeSpan.FromMilliseconds(Random.Shared.NextDouble() * Jitter.TotalMilliseconds);
}
