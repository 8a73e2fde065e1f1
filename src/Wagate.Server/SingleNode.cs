using Wagate.Data;
using Wagate.Gateway.Hosting;

namespace Wagate.Server;

/// <summary>Everything on one machine with embedded defaults: a SQLite file and the token key
/// under WAGATE_DATA_DIR (default ./.wagate), so data survives restarts with no setup.</summary>
public static class SingleNode
{
    public const string DefaultDataDirectory = ".wagate";

    public static WebApplication Build(string[] args) => GatewayHost.Build(args, configuration =>
    {
        var dataDirectory = Path.GetFullPath(configuration["WAGATE_DATA_DIR"] is { Length: > 0 } configured
            ? configured
            : DefaultDataDirectory);
        Directory.CreateDirectory(dataDirectory);
        return new GatewayBackends(
            DatabaseOptions.SqliteIn(dataDirectory),
            GatewaySettings.From(configuration).TokenSigningKey ?? SigningKeyFile.LoadOrCreate(dataDirectory));
    });
}
