using Npgsql;

namespace Wagate.Testing;

/// <summary>The PostgreSQL server tools/test starts on loopback. Each caller gets a database of
/// its own, so test classes never see each other's rows.</summary>
public static class TestPostgres
{
    public const string Variable = "WAGATE_TEST_POSTGRES";

    public static string ServerConnectionString => TestServerVariable.Read(Variable, "PostgreSQL");

    public static async Task<string> CreateDatabaseAsync()
    {
        var name = "wagate_test_" + Guid.NewGuid().ToString("N")[..12];
        await using (var connection = new NpgsqlConnection(ServerConnectionString))
        {
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand($"CREATE DATABASE {name}", connection);
            await command.ExecuteNonQueryAsync();
        }
        return new NpgsqlConnectionStringBuilder(ServerConnectionString) { Database = name }.ConnectionString;
    }
}
