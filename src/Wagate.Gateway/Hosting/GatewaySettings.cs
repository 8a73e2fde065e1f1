using System.Globalization;
using System.Net;
using Wagate.Gateway.Security;

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
    public bool JsonLogs { get; init; }
    /// <summary>Let webhooks reach loopback and private addresses (development and tests only).</summary>
    public bool WebhookAllowLoopback { get; init; }
    /// <summary>The first retry delay of a failed webhook delivery; later ones double.</summary>
    public TimeSpan WebhookFirstRetry { get; init; } = Webhooks.WebhookRetrySchedule.Default.FirstDelay;

    public static GatewaySettings From(IConfiguration configuration)
    {
        var settings = new GatewaySettings();
        return settings with
        {
            BindAddress = configuration["WAGATE_BIND_ADDRESS"] is { Length: > 0 } bind
                ? IPAddress.Parse(bind)
                : settings.BindAddress,
            HttpPort = Int(configuration, "WAGATE_HTTP_PORT", settings.HttpPort),
            GrpcPort = Int(configuration, "WAGATE_GRPC_PORT", settings.GrpcPort),
            AdminEmail = NonEmpty(configuration["WAGATE_ADMIN_EMAIL"]),
            AdminPassword = NonEmpty(configuration["WAGATE_ADMIN_PASSWORD"]),
            TokenSigningKey = configuration["WAGATE_TOKEN_SIGNING_KEY"] is { Length: > 0 } key
                ? Convert.FromBase64String(key)
                : null,
            PreviousTokenSigningKey = configuration["WAGATE_TOKEN_SIGNING_KEY_PREVIOUS"] is { Length: > 0 } previousKey
                ? Convert.FromBase64String(previousKey)
                : null,
            TokenLifetime = TimeSpan.FromMinutes(Int(configuration, "WAGATE_TOKEN_TTL_MINUTES", (int)settings.TokenLifetime.TotalMinutes)),
            PasswordIterations = Math.Max(10_000, Int(configuration, "WAGATE_PASSWORD_ITERATIONS", settings.PasswordIterations)),
            JsonLogs = string.Equals(configuration["WAGATE_LOG_FORMAT"], "json", StringComparison.OrdinalIgnoreCase),
            WebhookAllowLoopback = configuration["WAGATE_WEBHOOK_ALLOW_LOOPBACK"] is "1" or "true",
            WebhookFirstRetry = configuration["WAGATE_WEBHOOK_FIRST_RETRY_MS"] is { Length: > 0 } retry
                ? TimeSpan.FromMilliseconds(int.Parse(retry, NumberStyles.Integer, CultureInfo.InvariantCulture))
                : settings.WebhookFirstRetry,
        };
    }

    private static int Int(IConfiguration configuration, string key, int fallback) =>
        configuration[key] is { Length: > 0 } text
            ? int.Parse(text, NumberStyles.Integer, CultureInfo.InvariantCulture)
            : fallback;

    private static string? NonEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;
}
