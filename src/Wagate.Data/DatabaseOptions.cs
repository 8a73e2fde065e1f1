namespace Wagate.Data;

/// <summary>Which database the platform runs on.</summary>
public sealed record DatabaseOptions(DatabaseProvider Provider, string ConnectionString)
{
    /// <summary>A SQLite file inside <paramref name="dataDirectory"/>.</summary>
    public static DatabaseOptions SqliteIn(string dataDirectory) =>
        new(DatabaseProvider.Sqlite, $"Data Source={Path.Combine(dataDirectory, "wagate.db")};Pooling=True");

    public static DatabaseOptions Postgres(string connectionString) => new(DatabaseProvider.Postgres, connectionString);
}

public enum DatabaseProvider
{
    Sqlite,
    Postgres,
}
