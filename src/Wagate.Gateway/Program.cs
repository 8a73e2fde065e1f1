using Wagate.Data;
using Wagate.Gateway.Hosting;
using Wagate.Sandbox.Hosting;
using Wagate.Storage;

// A cluster gateway: PostgreSQL from WAGATE_POSTGRES, a token key shared by every replica
// from WAGATE_TOKEN_SIGNING_KEY. For one machine, run src/Wagate.Server (tools/up) instead.
// With WAGATE_ETCD it serves sessions on the cluster's workers, and the sandbox phones of the
// sandbox network process at WAGATE_SANDBOX_ADDRESS; WAGATE_WEBHOOK_KEY (base64, 32 bytes, the
// same on every replica) seals the webhooks' signing secrets in the database, and media sent inline
// waits for its worker in the workers' blob store, sealed under their WAGATE_STATE_KEY.
var app = GatewayHost.Build(args, configuration => new GatewayBackends(
    DatabaseOptions.Postgres(configuration["WAGATE_POSTGRES"]
        ?? throw new InvalidOperationException("Set WAGATE_POSTGRES to a PostgreSQL connection string.")),
    GatewaySettings.From(configuration).TokenSigningKey
        ?? throw new InvalidOperationException("Set WAGATE_TOKEN_SIGNING_KEY (base64, 32 bytes) on every gateway."),
    Cluster: configuration["WAGATE_ETCD"] is { Length: > 0 } etcd
        ? new ClusterOptions(new Uri(etcd), configuration["WAGATE_ETCD_PREFIX"] ?? "",
            TimeSpan.FromSeconds(double.Parse(configuration["WAGATE_LEASE_TTL_SECONDS"] ?? "5", System.Globalization.CultureInfo.InvariantCulture)))
        {
            SandboxAddress = configuration["WAGATE_SANDBOX_ADDRESS"] is { Length: > 0 } sandbox ? new Uri(sandbox) : SandboxHost.DefaultAddress,
        }
        : null,
    WebhookKey: configuration["WAGATE_WEBHOOK_KEY"] is { Length: > 0 } webhookKey ? Convert.FromBase64String(webhookKey) : null,
    Media: configuration["WAGATE_ETCD"] is { Length: > 0 } ? WorkersMediaStore(configuration) : null));
await GatewayHost.InitializeAsync(app);
await app.RunAsync();

// The workers' blob store (WAGATE_BLOB_STORE and WAGATE_S3_* as theirs; without S3 the directory
// a worker started here would use) and their state key.
static MediaStore WorkersMediaStore(IConfiguration configuration)
{
    string? Setting(string name) => configuration[name] is { Length: > 0 } value ? value : null;
    var key = BlobStoreSettings.ReadKey(Setting, "WAGATE_STATE_KEY")
        ?? throw new InvalidOperationException("Set WAGATE_STATE_KEY (base64, 32 bytes), the workers' key: media sent inline is sealed with it for them.");
    var directory = Path.GetFullPath(Path.Combine(Setting("WAGATE_DATA_DIR") ?? ".wagate-worker", "state"));
    // Start-up of the composition root: the one place that may wait (for the S3 bucket).
    return new MediaStore(BlobStoreSettings.From(Setting, directory).OpenAsync().GetAwaiter().GetResult(), key);
}
