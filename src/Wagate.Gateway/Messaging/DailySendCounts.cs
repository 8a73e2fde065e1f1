using System.Collections.Concurrent;

namespace Wagate.Gateway.Messaging;

/// <summary>How many messages each tenant sent today (UTC), for the daily quota, without
/// counting the tenant's rows on every send: one count of the day's outbound messages when a
/// tenant's day starts here or its count is older than <see cref="Resync"/>, plus the sends this
/// gateway accepted since. What other gateway replicas accept reaches this one at its next count,
/// so a tenant can exceed its quota by what the other replicas accept within <see cref="Resync"/>,
/// a fraction of a percent of any plan's quota at its send rate.</summary>
public sealed class DailySendCounts(TimeProvider clock)
{
    private static readonly TimeSpan Resync = TimeSpan.FromSeconds(5);

    private readonly ConcurrentDictionary<string, Tally> _tenants = new();

    /// <summary>The tenant's sends today; <paramref name="countSince"/> counts the tenant's
    /// outbound messages created since the given time, when the figure is due.</summary>
    public async Task<long> CountAsync(string tenantId, Func<string, DateTime, CancellationToken, Task<int>> countSince, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var tally = _tenants.GetOrAdd(tenantId, _ => new Tally());
        long acceptedBefore;
        lock (tally)
        {
            var fresh = tally.Day == now.UtcDateTime.Date && now - tally.CountedAt < Resync;
            if (fresh || (tally.Counting && tally.Day == now.UtcDateTime.Date))
            {
                // Fresh, or being counted by a concurrent send: the last figure will do.
                return tally.Counted + tally.AcceptedSince;
            }
            tally.Counting = true;
            acceptedBefore = tally.AcceptedSince;
        }
        try
        {
            var counted = await countSince(tenantId, now.UtcDateTime.Date, cancellationToken);
            lock (tally)
            {
                // Sends accepted while counting may be in the count too: counted twice until the
                // next count, which errs towards the quota, never past it.
                tally.AcceptedSince = tally.Day == now.UtcDateTime.Date ? tally.AcceptedSince - acceptedBefore : 0;
                tally.Day = now.UtcDateTime.Date;
                tally.Counted = counted;
                tally.CountedAt = now;
                return tally.Counted + tally.AcceptedSince;
            }
        }
        finally
        {
            lock (tally)
            {
                tally.Counting = false;
            }
        }
    }

    /// <summary>The tenant's send was accepted here.</summary>
    public void Accepted(string tenantId)
    {
        if (_tenants.TryGetValue(tenantId, out var tally))
        {
            lock (tally)
            {
                tally.AcceptedSince++;
            }
        }
    }

    private sealed class Tally
    {
        public DateTime Day;
        public long Counted;
        public DateTimeOffset CountedAt;
        public long AcceptedSince;
        public bool Counting;
    }
}
