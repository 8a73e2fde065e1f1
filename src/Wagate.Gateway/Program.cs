using Wagate.Data;
using Wagate.Gateway.Hosting;
using Wagate.Sandbox.Hosting;
using Wagate.Settings;
using Wagate.Storage;

// A cluster gateway: PostgreSQL from WAGATE_POSTGRES, a token key shared by every replica
// from WAGATE_TOKEN_SIGNING_KEY. For one machine, run src/Wagate.Server (tools/up) instead.
// With WAGATE_ETCD it serves sessions on the cluster's workers, and the sandbox phones of the
// sandbox network process at WAGATE_SANDBOX_ADDRESS; WAGATE_WEBHOOK_KEY (base64, 32 bytes, the
// same on every replica) seals the webhooks' signing secrets in the database, and media sent inline
// waits for its worker in the workers' blob store, sealed under their WAGATE_STATE_KEY.
return await HostRun.RunAsync(async () =>
{
    var app = GatewayHost.Build(args, configuration =>
    {
        var settings = new SettingReader(name => configuration[name]);
        var etcd = settings.Uri("WAGATE_ETCD");
        return new GatewayBackends(
            DatabaseOptions.Postgres(settings.Required("WAGATE_POSTGRES", "the PostgreSQL connection string of the platform's database")),
            settings.Key("WAGATE_TOKEN_SIGNING_KEY")
                ?? throw new InvalidSettingException("WAGATE_TOKEN_SIGNING_KEY", "is required: the access token key (base64, 32 bytes) every replica shares"),
            Cluster: etcd is null
                ? null
                : new ClusterOptions(etcd, settings.Text("WAGATE_ETCD_PREFIX") ?? "", settings.Seconds("WAGATE_LEASE_TTL_SECONDS", TimeSpan.FromSeconds(5)))
                {
                    SandboxAddress = settings.Uri("WAGATE_SANDBOX_ADDRESS") ?? SandboxHost.DefaultAddress,
                },
            WebhookKey: settings.Key("WAGATE_WEBHOOK_KEY"),
            Media: etcd is null ? null : WorkersMediaStore(settings));
    });
    await GatewayHost.InitializeAsync(app);
    await app.RunAsync();
});

// The workers' blob store (WAGATE_BLOB_STORE and WAGATE_S3_* as theirs; without S3 the directory
// a worker started here would use) and their state key.
static MediaStore WorkersMediaStore(SettingReader settings)
{
    var key = settings.Key("WAGATE_STATE_KEY")
        ?? throw new InvalidSettingException("WAGATE_STATE_KEY", "is required: the workers' key (base64, 32 bytes); media sent inline is sealed with it for them");
    var directory = Path.GetFullPath(Path.Combine(settings.Text("WAGATE_DATA_DIR") ?? ".wagate-worker", "state"));
    // Start-up of the composition root: the one place that may wait (for the S3 bucket).
    return new MediaStore(BlobStoreSettings.From(settings, directory).OpenAsync().GetAwaiter().GetResult(), key);
}
