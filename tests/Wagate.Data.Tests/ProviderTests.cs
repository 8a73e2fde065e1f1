using Microsoft.Data.Sqlite;
using Wagate.Testing;

namespace Wagate.Data.Tests;

/// <summary>The conformance suite on a SQLite file, as a single node runs it.</summary>
public sealed class SqliteDataTests : DataConformanceTests
{
    private readonly TempDirectory _directory = new();

    protected override Task<DatabaseOptions> CreateDatabaseAsync() =>
        Task.FromResult(DatabaseOptions.SqliteIn(_directory.Path));

    public override Task DisposeAsync()
    {
        SqliteConnection.ClearAllPools();
        _directory.Dispose();
        return Task.CompletedTask;
    }
}

/// <summary>The conformance suite on the real PostgreSQL server tools/test starts.</summary>
public sealed class PostgresDataTests : DataConformanceTests
{
    protected override async Task<DatabaseOptions> CreateDatabaseAsync() =>
        DatabaseOptions.Postgres(await TestPostgres.CreateDatabaseAsync());
}
