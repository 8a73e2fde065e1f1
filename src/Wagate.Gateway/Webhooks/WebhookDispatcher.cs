using System.Text;
using Google.Protobuf;
using Wagate.Data;
using Wagate.Data.Webhooks;
using Wagate.Contracts.Webhook.V1;
using Wagate.Gateway.Telemetry;

namespace Wagate.Gateway.Webhooks;

/// <summary>Delivers due webhook deliveries, on every gateway replica: each claims a batch in the
/// database (claims are exclusive, so replicas never send one delivery at once), POSTs it,
/// records the attempt, and either settles the delivery or schedules its next attempt by the
/// <see cref="WebhookRetrySchedule"/>. A replica that dies holding a claim loses it when the
/// claim runs out; another replica sends it then, so a delivery may arrive twice but is never lost:
/// receivers deduplicate by <c>Wagate-Event-Id</c>. Every POST is counted in
/// <paramref name="metrics"/>, by how it ended.</summary>
public sealed class WebhookDispatcher(
    IServiceScopeFactory scopes, WebhookSender sender, WebhookRetrySchedule schedule, TimeProvider clock, GatewayMetrics metrics,
    ILogger<WebhookDispatcher> logger)
    : BackgroundService
{
    private const int BatchSize = 32;
    private const int ParallelPosts = 8;
    private static readonly TimeSpan IdleDelay = TimeSpan.FromMilliseconds(250);

    /// <summary>Longer than a POST can take (its timeout) plus recording it.</summary>
    private static readonly TimeSpan ClaimFor = WebhookSender.Timeout + TimeSpan.FromSeconds(20);

    private static readonly JsonFormatter Json = new(JsonFormatter.Settings.Default);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                if (await DispatchOnceAsync(stoppingToken) == 0)
                {
                    await Task.Delay(IdleDelay, clock, stoppingToken);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception failed)
            {
                // The database is away: the deliveries wait in it; try again shortly.
                logger.LogError(failed, "Dispatching webhook deliveries failed");
                await Task.Delay(TimeSpan.FromSeconds(2), clock, stoppingToken);
            }
        }
    }

    /// <summary>Claims and sends one batch; returns how many deliveries it handled.</summary>
    public async Task<int> DispatchOnceAsync(CancellationToken cancellationToken)
    {
        IReadOnlyList<ClaimedWebhookDelivery> claimed;
        await using (var scope = scopes.CreateAsyncScope())
        {
            claimed = await scope.ServiceProvider.GetRequiredService<WebhookStore>()
                .ClaimDueAsync(clock.GetUtcNow().UtcDateTime, ClaimFor, BatchSize, cancellationToken);
        }
        await Parallel.ForEachAsync(claimed, new ParallelOptions { MaxDegreeOfParallelism = ParallelPosts, CancellationToken = cancellationToken },
            async (delivery, cancelled) => await DeliverAsync(delivery, cancelled));
        return claimed.Count;
    }

    private async Task DeliverAsync(ClaimedWebhookDelivery delivery, CancellationToken cancellationToken)
    {
        var body = Encoding.UTF8.GetBytes(Json.Format(delivery.Event));
        var result = await sender.SendAsync(new Uri(delivery.Url), delivery.Secret, delivery.Event.Cursor, delivery.Event.Type.ToString(), body, cancellationToken);
        var (state, next) = result.Succeeded
            ? (WebhookDelivery.Types.State.Succeeded, (DateTimeOffset?)null)
            : WebhookRetrySchedule.IsRetryable(result.StatusCode)
                && schedule.NextAttempt(delivery.AttemptCount + 1, clock.GetUtcNow(), new DateTimeOffset(delivery.CreateTime, TimeSpan.Zero), result.RetryAfter) is { } at
                ? (WebhookDelivery.Types.State.Pending, at)
                : (WebhookDelivery.Types.State.Failed, null);
        // Counted before it is recorded: the POST happened even if recording it fails.
        metrics.WebhookAttempt(state, result.Latency);
        await using var scope = scopes.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<WebhookStore>().RecordAttemptAsync(delivery.TenantId, delivery.WebhookId, delivery.EventCursor,
            delivery.ClaimToken, new WebhookAttemptOutcome(result.Time.UtcDateTime, result.Latency, result.StatusCode, result.Error, state, next?.UtcDateTime),
            cancellationToken);
    }
}
