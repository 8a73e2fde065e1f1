using Npgsql;

namespace Wagate.Bench;

/// <summary>The PostgreSQL, etcd and S3 server tools/bench/run started for a benchmark that runs
/// a cluster of processes.</summary>
internal sealed record Servers(string Postgres, Uri Etcd, string S3)
{
    /// <param name="benchmark">The benchmark's name, to say how to run it when a server is missing.</param>
    public static Servers FromEnvironment(string benchmark) => new(
        Required("WAGATE_BENCH_POSTGRES", benchmark), new Uri(Required("WAGATE_BENCH_ETCD", benchmark)), Required("WAGATE_BENCH_S3", benchmark));

    /// <summary>A new, empty database for one cluster; returns its connection string.</summary>
    /// <param name="prefix">Starts its name, e.g. "wagate_failover_".</param>
    public async Task<string> CreateDatabaseAsync(string prefix)
    {
        var name = prefix + Guid.NewGuid().ToString("N")[..12];
        await using var connection = new NpgsqlConnection(Postgres);
        await connection.OpenAsync();
        await using var create = new NpgsqlCommand($"CREATE DATABASE {name}", connection);
        await create.ExecuteNonQueryAsync();
        return new NpgsqlConnectionStringBuilder(Postgres) { Database = name }.ConnectionString;
    }

    private static string Required(string name, string benchmark) => Environment.GetEnvironmentVariable(name) is { Length: > 0 } value
        ? value
        : throw new InvalidOperationException($"{name} is not set: run this benchmark with tools/bench/run {benchmark}.");
}
