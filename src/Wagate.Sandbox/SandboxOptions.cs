using Wagate.Settings;

namespace Wagate.Sandbox;

/// <summary>How the simulated network behaves. The defaults follow what WhatsApp does (as
/// Baileys observes it); tests shorten the times.</summary>
public sealed record SandboxOptions
{
    /// <summary>How long a new linking connection waits for its first QR reference, as
    /// WhatsApp's servers take a moment after the handshake; none by default.</summary>
    public TimeSpan FirstQrDelay { get; init; } = TimeSpan.Zero;

    /// <summary>How long the first QR reference of a linking attempt lasts.</summary>
    public TimeSpan FirstQrLifetime { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>How long each later QR reference lasts.</summary>
    public TimeSpan NextQrLifetime { get; init; } = TimeSpan.FromSeconds(20);

    /// <summary>QR references per attempt; after the last expires the network closes with 408.</summary>
    public int QrReferencesPerAttempt { get; init; } = 6;

    /// <summary>How long a pairing code can be entered.</summary>
    public TimeSpan PairingCodeLifetime { get; init; } = TimeSpan.FromMinutes(3);

    /// <summary>Messages to numbers never talked to before, per <see cref="NewContactWindow"/>,
    /// beyond which the account is restricted (anti-spam, error 463).</summary>
    public int NewContactLimit { get; init; } = 20;

    public TimeSpan NewContactWindow { get; init; } = TimeSpan.FromMinutes(1);

    /// <summary>How long a restriction lasts.</summary>
    public TimeSpan RestrictionDuration { get; init; } = TimeSpan.FromHours(1);

    /// <summary>The defaults, with the QR timings a host may set: WAGATE_SANDBOX_FIRST_QR_DELAY_MS,
    /// WAGATE_SANDBOX_FIRST_QR_SECONDS, WAGATE_SANDBOX_NEXT_QR_SECONDS, WAGATE_SANDBOX_QR_COUNT.</summary>
    public static SandboxOptions From(SettingReader settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var defaults = new SandboxOptions();
        return defaults with
        {
            FirstQrDelay = settings.Milliseconds("WAGATE_SANDBOX_FIRST_QR_DELAY_MS", defaults.FirstQrDelay),
            FirstQrLifetime = settings.Seconds("WAGATE_SANDBOX_FIRST_QR_SECONDS", defaults.FirstQrLifetime),
            NextQrLifetime = settings.Seconds("WAGATE_SANDBOX_NEXT_QR_SECONDS", defaults.NextQrLifetime),
            QrReferencesPerAttempt = settings.Number("WAGATE_SANDBOX_QR_COUNT", defaults.QrReferencesPerAttempt, min: 1),
        };
    }
}
