using Microsoft.Extensions.Diagnostics.HealthChecks;
using Wagate.Data;

namespace Wagate.Gateway.Hosting;

/// <summary>Ready means the database answers. Hosting, not a use case: it asks the connection
/// itself, so it takes the context rather than a store.</summary>
public sealed class DatabaseHealthCheck(WagateDbContext db) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        await db.Database.CanConnectAsync(cancellationToken)
            ? HealthCheckResult.Healthy()
            : HealthCheckResult.Unhealthy("The database does not answer.");
}
