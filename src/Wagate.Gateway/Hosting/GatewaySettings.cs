using System.Net;
using Wagate.Gateway.Security;
using Wagate.Settings;

namespace Wagate.Gateway.Hosting;

/// <summary>Every setting of the gateway, read from configuration (environment variables
/// WAGATE_*, or the same keys in any configuration source) with the defaults of a single node.</summary>
public sealed record GatewaySettings
{
    public IPAddress BindAddress { get; init; } = IPAddress.Loopback;
    public int HttpPort { get; init; } = 8080;
    public int GrpcPort { get; init; } = 8081;
    public string? AdminEmail { get; init; }
    public string? AdminPassword { get; init; }
    /// <summary>HMAC key for access tokens; every gateway replica must share it.</summary>
    public byte[]? TokenSigningKey { get; init; }
    /// <summary>The signing key before the last rotation: it no longer signs, but tokens it
    /// signed still verify until they expire (WAGATE_TOKEN_SIGNING_KEY_PREVIOUS).</summary>
    public byte[]? PreviousTokenSigningKey { get; init; }
    public TimeSpan TokenLifetime { get; init; } = TimeSpan.FromHours(1);
    public int PasswordIterations { get; init; } = PasswordHasher.DefaultIterations;
    /// <summary>Let webhooks reach loopback and private addresses (development and tests only).</summary>
    public bool WebhookAllowLoopback { get; init; }
    /// <summary>The first retry delay of a failed webhook delivery; later ones double.</summary>
    public TimeSpan WebhookFirstRetry { get; init; } = Webhooks.WebhookRetrySchedule.Default.FirstDelay;

    public static GatewaySettings From(IConfiguration configuration)
    {
        var settings = new SettingReader(name => configuration[name]);
        var defaults = new GatewaySettings();
        return defaults with
        {
            BindAddress = settings.Address("WAGATE_BIND_ADDRESS", defaults.BindAddress),
            HttpPort = settings.Port("WAGATE_HTTP_PORT", defaults.HttpPort),
            GrpcPort = settings.Port("WAGATE_GRPC_PORT", defaults.GrpcPort),
            AdminEmail = settings.Text("WAGATE_ADMIN_EMAIL")?.Trim() is { Length: > 0 } email ? email : null,
            AdminPassword = string.IsNullOrWhiteSpace(settings.Text("WAGATE_ADMIN_PASSWORD")) ? null : settings.Text("WAGATE_ADMIN_PASSWORD"),
            TokenSigningKey = settings.Key("WAGATE_TOKEN_SIGNING_KEY"),
            PreviousTokenSigningKey = settings.Key("WAGATE_TOKEN_SIGNING_KEY_PREVIOUS"),
            TokenLifetime = TimeSpan.FromMinutes(settings.Number("WAGATE_TOKEN_TTL_MINUTES", (int)defaults.TokenLifetime.TotalMinutes, min: 1)),
            PasswordIterations = Math.Max(10_000, settings.Number("WAGATE_PASSWORD_ITERATIONS", defaults.PasswordIterations, min: 1)),
            WebhookAllowLoopback = settings.Flag("WAGATE_WEBHOOK_ALLOW_LOOPBACK"),
            WebhookFirstRetry = settings.Milliseconds("WAGATE_WEBHOOK_FIRST_RETRY_MS", defaults.WebhookFirstRetry),
        };
    }
}
