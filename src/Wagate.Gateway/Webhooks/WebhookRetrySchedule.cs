namespace Wagate.Gateway.Webhooks;

/// <summary>When a failed delivery is tried again: exponential backoff with jitter (a receiver
/// that was down is not hit by every delivery at the same instant when it comes back), at most
/// an hour apart, for 24 hours; a Retry-After the receiver sent is honoured within those bounds.
/// A 4xx answer means the receiver refuses the request itself, so retrying cannot help, except
/// 408 (timeout) and 429 (slow down); nor can a redirect, which is never followed (it could
/// lead anywhere, a private address included).</summary>
public sealed record WebhookRetrySchedule(TimeSpan FirstDelay, TimeSpan MaxDelay, TimeSpan GiveUpAfter)
{
    public static readonly WebhookRetrySchedule Default = new(TimeSpan.FromSeconds(10), TimeSpan.FromHours(1), TimeSpan.FromHours(24));

    public static bool Succeeded(int statusCode) => statusCode is >= 200 and <= 299;

    /// <summary>Whether a failed attempt that got <paramref name="statusCode"/> (0: no answer) is
    /// worth another.</summary>
    public static bool IsRetryable(int statusCode) =>
        statusCode is 0 or 408 or 429 || statusCode >= 500;

    /// <summary>When to try again after the <paramref name="failures"/>th failure (1-based), or
    /// null to give up.</summary>
    public DateTimeOffset? NextAttempt(int failures, DateTimeOffset now, DateTimeOffset firstAttempt, TimeSpan? retryAfter = null)
    {
        var exponential = FirstDelay.TotalSeconds * Math.Pow(2, Math.Min(failures - 1, 30));
        var delay = TimeSpan.FromSeconds(Math.Min(exponential, MaxDelay.TotalSeconds) * (0.5 + Random.Shared.NextDouble() / 2));
        if (retryAfter is { } asked && asked > delay)
        {
            delay = asked < MaxDelay ? asked : MaxDelay;
        }
        var next = now + delay;
        return next - firstAttempt > GiveUpAfter ? null : next;
    }
}
