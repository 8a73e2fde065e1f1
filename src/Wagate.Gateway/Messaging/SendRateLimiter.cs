using System.Collections.Concurrent;
using System.Threading.RateLimiting;
using Wagate.Data.Entities;
using Wagate.Gateway.Errors;
using Wagate.Gateway.Tenancy;

namespace Wagate.Gateway.Messaging;

/// <summary>Per-tenant token buckets for SendMessage: a tenant over its plan's rate gets
/// RESOURCE_EXHAUSTED with the time until a token is free, and no other tenant notices. The
/// buckets live in this gateway process; with several replicas a tenant's effective rate is
/// the sum over the replicas its calls reach.</summary>
public sealed class SendRateLimiter : IDisposable
{
    private readonly ConcurrentDictionary<(string Tenant, TenantPlan Plan), TokenBucketRateLimiter> _buckets = new();

    /// <summary>Takes one send from the tenant's bucket, or throws RESOURCE_EXHAUSTED with RetryInfo.</summary>
    public void Take(string tenantId, TenantPlan plan)
    {
        var bucket = _buckets.GetOrAdd((tenantId, plan), key =>
        {
            var (perSecond, burst) = PlanLimits.SendRate(key.Plan);
            return new TokenBucketRateLimiter(new TokenBucketRateLimiterOptions
            {
                TokenLimit = burst,
                TokensPerPeriod = perSecond,
                ReplenishmentPeriod = TimeSpan.FromSeconds(1),
                QueueLimit = 0,
                AutoReplenishment = true,
            });
        });
        using var lease = bucket.AttemptAcquire();
        if (!lease.IsAcquired)
        {
            var retry = lease.TryGetMetadata(MetadataName.RetryAfter, out var after) ? after : TimeSpan.FromSeconds(1);
            throw ApiErrors.ResourceExhausted(ErrorReason.RateLimited,
                $"Too many messages: the {plan} plan sends at most {PlanLimits.SendRate(plan).PerSecond} per second; retry shortly.", retry);
        }
    }

    public void Dispose()
    {
        foreach (var bucket in _buckets.Values)
        {
            bucket.Dispose();
        }
    }
}
