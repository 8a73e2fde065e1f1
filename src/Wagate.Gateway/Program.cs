using Wagate.Data;
using Wagate.Gateway.Hosting;

// A cluster gateway: PostgreSQL from WAGATE_POSTGRES, a token key shared by every replica
// from WAGATE_TOKEN_SIGNING_KEY. For one machine, run src/Wagate.Server (tools/up) instead.
var app = GatewayHost.Build(args, configuration => new GatewayBackends(
    DatabaseOptions.Postgres(configuration["WAGATE_POSTGRES"]
        ?? throw new InvalidOperationException("Set WAGATE_POSTGRES to a PostgreSQL connection string.")),
    GatewaySettings.From(configuration).TokenSigningKey
        ?? throw new InvalidOperationException("Set WAGATE_TOKEN_SIGNING_KEY (base64, 32 bytes) on every gateway.")));
await GatewayHost.InitializeAsync(app);
await app.RunAsync();
