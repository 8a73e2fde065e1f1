using System.Globalization;
using Wagate.Sandbox;
using Wagate.Storage;

namespace Wagate.Server;

/// <summary>The single node's settings beyond the gateway's, from WAGATE_* configuration.</summary>
public sealed record SingleNodeSettings(
    string DataDirectory,
    int Workers,
    int WorkerCapacity,
    byte[]? StateKey,
    S3BlobStoreOptions? S3,
    SandboxOptions Sandbox)
{
    public static SingleNodeSettings From(IConfiguration configuration)
    {
        var defaults = new SandboxOptions();
        return new SingleNodeSettings(
            Path.GetFullPath(configuration["WAGATE_DATA_DIR"] is { Length: > 0 } directory ? directory : SingleNode.DefaultDataDirectory),
            Int(configuration, "WAGATE_WORKERS", 2),
            Int(configuration, "WAGATE_WORKER_CAPACITY", 1000),
            configuration["WAGATE_STATE_KEY"] is { Length: > 0 } key ? Convert.FromBase64String(key) : null,
            string.Equals(configuration["WAGATE_BLOB_STORE"], "s3", StringComparison.OrdinalIgnoreCase)
                ? new S3BlobStoreOptions
                {
                    Endpoint = configuration["WAGATE_S3_ENDPOINT"] ?? throw new InvalidOperationException("Set WAGATE_S3_ENDPOINT (host:port)."),
                    AccessKey = configuration["WAGATE_S3_ACCESS_KEY"] ?? "",
                    SecretKey = configuration["WAGATE_S3_SECRET_KEY"] ?? "",
                    Bucket = configuration["WAGATE_S3_BUCKET"] ?? "wagate",
                    UseTls = string.Equals(configuration["WAGATE_S3_TLS"], "true", StringComparison.OrdinalIgnoreCase),
                }
                : null,
            defaults with
            {
                FirstQrLifetime = Seconds(configuration, "WAGATE_SANDBOX_FIRST_QR_SECONDS", defaults.FirstQrLifetime),
                NextQrLifetime = Seconds(configuration, "WAGATE_SANDBOX_NEXT_QR_SECONDS", defaults.NextQrLifetime),
                QrReferencesPerAttempt = Int(configuration, "WAGATE_SANDBOX_QR_COUNT", defaults.QrReferencesPerAttempt),
            });
    }

    private static int Int(IConfiguration configuration, string key, int fallback) =>
        configuration[key] is { Length: > 0 } text ? int.Parse(text, CultureInfo.InvariantCulture) : fallback;

    private static TimeSpan Seconds(IConfiguration configuration, string key, TimeSpan fallback) =>
        configuration[key] is { Length: > 0 } text ? TimeSpan.FromSeconds(double.Parse(text, CultureInfo.InvariantCulture)) : fallback;
}
