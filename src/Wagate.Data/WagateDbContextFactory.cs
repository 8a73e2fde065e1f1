using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.EntityFrameworkCore.Infrastructure;

namespace Wagate.Data;

/// <summary>A context per call, for long-lived callers (workers, background senders) that run
/// many short units of work side by side and cannot share one context. The contexts come from a
/// pool over options built once: a new context per call, options and all, was a fifth of a
/// worker's CPU while it took sessions over (its DbSets and service scope set up every time).</summary>
public sealed class WagateDbContextFactory : IDbContextFactory<WagateDbContext>
{
    private readonly Func<WagateDbContext> _create;

    /// <param name="interceptors">Run around every command, for tests that make the database fail
    /// as an outage would.</param>
    public WagateDbContextFactory(DatabaseOptions options, params IInterceptor[] interceptors)
    {
        ArgumentNullException.ThrowIfNull(options);
        _create = options.Provider switch
        {
            DatabaseProvider.Postgres => Pooled(new DbContextOptionsBuilder<PostgresDbContext>().UseNpgsql(options.ConnectionString).AddInterceptors(interceptors).Options),
            DatabaseProvider.Sqlite => Pooled(new DbContextOptionsBuilder<SqliteDbContext>().UseSqlite(options.ConnectionString).AddInterceptors(interceptors).Options),
            _ => throw new ArgumentOutOfRangeException(nameof(options), options.Provider, "Unknown database provider."),
        };
    }

    public WagateDbContext CreateDbContext() => _create();

    private static Func<WagateDbContext> Pooled<TContext>(DbContextOptions<TContext> options) where TContext : WagateDbContext
    {
        var pool = new PooledDbContextFactory<TContext>(options);
        return pool.CreateDbContext;
    }
}
