using Wagate.Cluster;
using Wagate.Worker.Runtime;
using Xunit;

namespace Wagate.Worker.Tests;

public sealed class ReconnectBackoffTests
{
    private static readonly ReconnectBackoff Backoff = new(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(30));

    [Theory]
    [InlineData(0, 1)]
    [InlineData(1, 2)]
    [InlineData(3, 8)]
    [InlineData(4, 16)]
    [InlineData(5, 30)]
    [InlineData(50, 30)]
    public void Each_delay_is_the_capped_exponential_delay_scaled_by_jitter(int attempt, double ceilingSeconds)
    {
        var delays = Enumerable.Range(0, 200).Select(_ => Backoff.Delay(attempt).TotalSeconds).ToList();

        Assert.All(delays, d => Assert.InRange(d, ceilingSeconds * 0.5, ceilingSeconds));
    }

    [Fact]
    public void Sessions_dropped_together_do_not_reconnect_in_lockstep()
    {
        var delays = Enumerable.Range(0, 100).Select(_ => Backoff.Delay(2)).ToHashSet();

        Assert.True(delays.Count > 50, $"only {delays.Count} distinct delays out of 100");
    }
}
