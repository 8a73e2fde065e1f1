using Wagate.Gateway.Webhooks;
using Xunit;

namespace Wagate.Gateway.Tests.Webhooks;

public sealed class WebhookRetryScheduleTests
{
    private static readonly DateTimeOffset Start = new(2026, 11, 25, 12, 0, 0, TimeSpan.Zero);
    private static readonly WebhookRetrySchedule Schedule = WebhookRetrySchedule.Default;

    [Theory]
    [InlineData(0, true)]
    [InlineData(408, true)]
    [InlineData(429, true)]
    [InlineData(500, true)]
    [InlineData(503, true)]
    [InlineData(400, false)]
    [InlineData(401, false)]
    [InlineData(404, false)]
    [InlineData(410, false)]
    [InlineData(301, false)]
    public void Only_answers_a_retry_can_change_are_retried(int status, bool retried) =>
        Assert.Equal(retried, WebhookRetrySchedule.IsRetryable(status));

    [Fact]
    public void Delays_grow_exponentially_with_jitter_up_to_an_hour()
    {
        for (var failures = 1; failures <= 12; failures++)
        {
            var delay = Schedule.NextAttempt(failures, Start, Start)!.Value - Start;
            var full = Math.Min(10 * Math.Pow(2, failures - 1), 3600);
            Assert.InRange(delay.TotalSeconds, full / 2, full);
        }
    }

    [Fact]
    public void A_retry_after_longer_than_the_backoff_is_honoured_within_the_hour()
    {
        Assert.Equal(Start.AddMinutes(5), Schedule.NextAttempt(1, Start, Start, TimeSpan.FromMinutes(5)));
        Assert.Equal(Start.AddHours(1), Schedule.NextAttempt(1, Start, Start, TimeSpan.FromHours(3)));
    }

    [Fact]
    public void It_gives_up_24_hours_after_the_first_attempt()
    {
        var nearlyADayLater = Start.AddHours(23).AddMinutes(59);

        Assert.Null(Schedule.NextAttempt(40, nearlyADayLater, Start));
        Assert.NotNull(Schedule.NextAttempt(40, Start.AddHours(20), Start));
    }
}
