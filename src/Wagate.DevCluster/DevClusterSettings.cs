using System.Globalization;
using Microsoft.Extensions.Configuration;

namespace Wagate.DevCluster;

/// <summary>The console program's settings, from WAGATE_* environment variables or the same
/// names as <c>--NAME=value</c> arguments, as the other hosts read theirs. tools/dev-cluster
/// sets them for the servers it starts.</summary>
public static class DevClusterSettings
{
    /// <summary>Product settings handed through to every process when set (timings and formats;
    /// nothing that would make processes disagree with each other).</summary>
    private static readonly string[] HandedThrough =
    [
        "WAGATE_LOG_FORMAT", "WAGATE_TOKEN_TTL_MINUTES", "WAGATE_PASSWORD_ITERATIONS",
        "WAGATE_SANDBOX_FIRST_QR_SECONDS", "WAGATE_SANDBOX_NEXT_QR_SECONDS", "WAGATE_SANDBOX_QR_COUNT",
        "WAGATE_SANDBOX_FIRST_QR_DELAY_MS",
    ];

    /// <summary>Reads the options; <paramref name="generated"/> lists the secrets that were not given
    /// and were generated for this run only.</summary>
    public static LocalClusterOptions From(string[] args, out IReadOnlyList<string> generated)
    {
        var configuration = new ConfigurationBuilder().AddEnvironmentVariables().AddCommandLine(args).Build();
        string? Setting(string name) => configuration[name] is { Length: > 0 } value ? value : null;
        string Required(string name, string what) =>
            Setting(name) ?? throw new InvalidOperationException($"Set {name} ({what}); tools/dev-cluster up sets it for the servers it starts.");
        int Number(string name, int fallback) =>
            Setting(name) is { } text ? int.Parse(text, NumberStyles.Integer, CultureInfo.InvariantCulture) : fallback;

        var missing = new List<string>();
        string Secret(string name, Func<string> generate)
        {
            if (Setting(name) is { } given)
            {
                return given;
            }
            missing.Add(name);
            return generate();
        }

        var options = new LocalClusterOptions
        {
            Directory = Path.GetFullPath(Setting("WAGATE_CLUSTER_DIR") ?? ".wagate-cluster"),
            Postgres = Required("WAGATE_POSTGRES", "a PostgreSQL connection string"),
            Etcd = new Uri(Required("WAGATE_ETCD", "the etcd client URL")),
            EtcdPrefix = Setting("WAGATE_ETCD_PREFIX") ?? "",
            S3 = new S3Bucket(
                Required("WAGATE_S3_ENDPOINT", "host:port of an S3-compatible server"),
                Setting("WAGATE_S3_BUCKET") ?? "wagate",
                Setting("WAGATE_S3_ACCESS_KEY") ?? "",
                Setting("WAGATE_S3_SECRET_KEY") ?? ""),
            Gateways = Number("WAGATE_GATEWAYS", 2),
            Workers = Number("WAGATE_WORKERS", 3),
            WorkerCapacity = Number("WAGATE_WORKER_CAPACITY", 1000),
            HttpPort = Number("WAGATE_HTTP_PORT", 8080),
            GrpcPort = Number("WAGATE_GRPC_PORT", 8081),
            LeaseTtl = TimeSpan.FromSeconds(double.Parse(Setting("WAGATE_LEASE_TTL_SECONDS") ?? "5", CultureInfo.InvariantCulture)),
            TokenSigningKey = Secret("WAGATE_TOKEN_SIGNING_KEY", LocalClusterOptions.NewKey),
            StateKey = Secret("WAGATE_STATE_KEY", LocalClusterOptions.NewKey),
            WebhookKey = Secret("WAGATE_WEBHOOK_KEY", LocalClusterOptions.NewKey),
            AdminEmail = Setting("WAGATE_ADMIN_EMAIL") ?? "admin@wagate.local",
            AdminPassword = Secret("WAGATE_ADMIN_PASSWORD", LocalClusterOptions.NewPassword),
            Environment = HandedThrough
                .Where(name => Setting(name) is not null)
                .ToDictionary(name => name, name => Setting(name)!),
        };
        generated = missing;
        return options;
    }
}
