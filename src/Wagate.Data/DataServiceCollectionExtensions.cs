using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Wagate.Data;

public static class DataServiceCollectionExtensions
{
    /// <summary>Registers <see cref="WagateDbContext"/> on the chosen provider. Callers depend on
    /// the base type only; the provider subclass decides the SQL and the migrations.</summary>
    public static IServiceCollection AddWagateData(this IServiceCollection services, DatabaseOptions options)
    {
        services.AddSingleton(options);
        switch (options.Provider)
        {
            case DatabaseProvider.Postgres:
                services.AddDbContextPool<WagateDbContext, PostgresDbContext>(db => db.UseNpgsql(options.ConnectionString));
                break;
            case DatabaseProvider.Sqlite:
                services.AddDbContextPool<WagateDbContext, SqliteDbContext>(db => db.UseSqlite(options.ConnectionString));
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(options), options.Provider, "Unknown database provider.");
        }
        return services;
    }

    /// <summary>Creates a context outside dependency injection (tools, tests).</summary>
    public static WagateDbContext CreateContext(DatabaseOptions options) => options.Provider switch
    {
        DatabaseProvider.Postgres => new PostgresDbContext(
            new DbContextOptionsBuilder<PostgresDbContext>().UseNpgsql(options.ConnectionString).Options),
        DatabaseProvider.Sqlite => new SqliteDbContext(
            new DbContextOptionsBuilder<SqliteDbContext>().UseSqlite(options.ConnectionString).Options),
        _ => throw new ArgumentOutOfRangeException(nameof(options), options.Provider, "Unknown database provider."),
    };

    /// <summary>Applies pending migrations. SQLite gets write-ahead logging so readers do not
    /// block the writer; the setting is stored in the file, so once is enough.</summary>
    public static async Task MigrateAsync(this WagateDbContext db, CancellationToken cancellationToken = default)
    {
        if (db.Database.IsSqlite())
        {
            var builder = new SqliteConnectionStringBuilder(db.Database.GetConnectionString());
            var directory = Path.GetDirectoryName(Path.GetFullPath(builder.DataSource));
            if (!string.IsNullOrEmpty(directory))
            {
                Directory.CreateDirectory(directory);
            }
        }
        await db.Database.MigrateAsync(cancellationToken);
        if (db.Database.IsSqlite())
        {
            await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", cancellationToken);
        }
    }
}
