using Wagate.Data.Events;

namespace Wagate.Gateway.Messaging;

/// <summary>Keeps the event log to what the contract promises to replay: events older than
/// <see cref="Kept"/> are deleted every hour (with their webhook deliveries, long settled or given
/// up by then). Every gateway replica runs it; the deletes are the same whoever runs them.</summary>
public sealed class EventRetention(IServiceScopeFactory scopes, TimeProvider clock, ILogger<EventRetention> logger) : BackgroundService
{
    public static readonly TimeSpan Kept = TimeSpan.FromDays(7);
    private static readonly TimeSpan Interval = TimeSpan.FromHours(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval, clock);
        do
        {
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                var pruned = await scope.ServiceProvider.GetRequiredService<EventLog>().PruneAsync((clock.GetUtcNow() - Kept).UtcDateTime, stoppingToken);
                if (pruned > 0)
                {
                    logger.LogInformation("Deleted {Count} events older than {Days} days", pruned, Kept.TotalDays);
                }
            }
            catch (Exception failed) when (!stoppingToken.IsCancellationRequested)
            {
                logger.LogWarning(failed, "Pruning the event log failed; trying again in an hour");
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }
}
