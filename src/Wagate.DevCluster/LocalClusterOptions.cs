using System.Security.Cryptography;

namespace Wagate.DevCluster;

/// <summary>What a cluster on one machine is made of and shares: the servers it runs on
/// (PostgreSQL, etcd, S3), how many gateways and workers, and the secrets every replica must
/// agree on. Secrets left unset are generated, so a cluster is consistent within itself.</summary>
public sealed record LocalClusterOptions
{
    /// <summary>Holds each process's working directory and its log under <c>logs/</c>.</summary>
    public required string Directory { get; init; }

    /// <summary>The gateways' PostgreSQL connection string (WAGATE_POSTGRES).</summary>
    public required string Postgres { get; init; }

    /// <summary>The etcd client URL, e.g. http://127.0.0.1:2379 (WAGATE_ETCD).</summary>
    public required Uri Etcd { get; init; }

    /// <summary>The key namespace of this cluster in etcd (WAGATE_ETCD_PREFIX): clusters sharing one
    /// etcd never see each other.</summary>
    public string EtcdPrefix { get; init; } = "";

    /// <summary>Where workers keep session state.</summary>
    public required S3Bucket S3 { get; init; }

    public int Gateways { get; init; } = 2;

    public int Workers { get; init; } = 3;

    /// <summary>Sessions per worker (WAGATE_WORKER_CAPACITY).</summary>
    public int WorkerCapacity { get; init; } = 1000;

    /// <summary>The first gateway's REST / gRPC-Web port; null for a free one. Other gateways always get free ports.</summary>
    public int? HttpPort { get; init; }

    /// <summary>The first gateway's gRPC (h2c) port; null for a free one.</summary>
    public int? GrpcPort { get; init; }

    /// <summary>How long a worker or the placement leader outlives its last lease renewal
    /// (WAGATE_LEASE_TTL_SECONDS): how soon the cluster notices a dead or frozen process.</summary>
    public TimeSpan LeaseTtl { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Base64 HMAC key for access tokens, the same on every gateway (WAGATE_TOKEN_SIGNING_KEY).</summary>
    public string TokenSigningKey { get; init; } = NewKey();

    /// <summary>Base64 master key for session state, the same on every worker (WAGATE_STATE_KEY).</summary>
    public string StateKey { get; init; } = NewKey();

    /// <summary>Base64 key sealing webhook secrets, the same on every gateway (WAGATE_WEBHOOK_KEY).</summary>
    public string WebhookKey { get; init; } = NewKey();

    public string AdminEmail { get; init; } = "admin@wagate.local";

    public string AdminPassword { get; init; } = NewPassword();

    /// <summary>More WAGATE_* settings for every process, e.g. the sandbox's QR timings or
    /// WAGATE_LOG_FORMAT; the launcher's own settings win over these.</summary>
    public IReadOnlyDictionary<string, string> Environment { get; init; } = new Dictionary<string, string>();

    /// <summary>How long a process may take to become ready. Generous: startups compete for the
    /// CPU with everything else on a shared machine.</summary>
    public TimeSpan ReadyTimeout { get; init; } = TimeSpan.FromSeconds(90);

    /// <summary>How long a process may take to stop after SIGTERM before it is killed.</summary>
    public TimeSpan StopGracePeriod { get; init; } = TimeSpan.FromSeconds(30);

    public string LogDirectory => Path.Combine(Directory, "logs");

    /// <summary>32 random bytes in base64, the size the token and state keys take.</summary>
    public static string NewKey() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));

    /// <summary>24 random letters and digits: easy to paste into a shell or a login form.</summary>
    public static string NewPassword() =>
        RandomNumberGenerator.GetString("abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789", 24);
}
