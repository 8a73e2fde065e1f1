using Microsoft.EntityFrameworkCore;

namespace Wagate.Data;

/// <summary>A new context per call, for long-lived callers (workers, background senders) that
/// run many short units of work side by side and cannot share one context.</summary>
public sealed class WagateDbContextFactory(DatabaseOptions options) : IDbContextFactory<WagateDbContext>
{
    public WagateDbContext CreateDbContext() => DataServiceCollectionExtensions.CreateContext(options);
}
