using Wagate.Gateway.Security;
using Wagate.Gateway.Tests.Support;
using Xunit;

namespace Wagate.Gateway.Tests.Unit;

public sealed class LoginThrottleTests
{
    private readonly ManualClock _clock = new(DateTimeOffset.UnixEpoch);

    [Fact]
    public void An_account_is_locked_after_its_limit_and_unlocked_when_the_window_passes()
    {
        var throttle = new LoginThrottle(_clock, new LoginThrottle.Limits(PerAccount: 3, PerAddress: 100, TimeSpan.FromMinutes(10)));
        for (var i = 0; i < 3; i++)
        {
            Assert.Null(throttle.RetryAfter("a@x.com", "10.0.0.1"));
            throttle.RecordFailure("a@x.com", "10.0.0.1");
            _clock.Advance(TimeSpan.FromMinutes(1));
        }

        Assert.Equal(TimeSpan.FromMinutes(7), throttle.RetryAfter("a@x.com", "10.0.0.2"));

        _clock.Advance(TimeSpan.FromMinutes(7));
        Assert.Null(throttle.RetryAfter("a@x.com", "10.0.0.2"));
    }

    [Fact]
    public void An_address_spraying_many_accounts_is_locked()
    {
        var throttle = new LoginThrottle(_clock, new LoginThrottle.Limits(PerAccount: 3, PerAddress: 5, TimeSpan.FromMinutes(10)));
        for (var i = 0; i < 5; i++)
        {
            throttle.RecordFailure($"user{i}@x.com", "10.0.0.9");
        }

        Assert.NotNull(throttle.RetryAfter("fresh@x.com", "10.0.0.9"));
        Assert.Null(throttle.RetryAfter("fresh@x.com", "10.0.0.10"));
    }

    [Fact]
    public void A_success_clears_the_account_but_not_the_address()
    {
        var throttle = new LoginThrottle(_clock, new LoginThrottle.Limits(PerAccount: 2, PerAddress: 3, TimeSpan.FromMinutes(10)));
        throttle.RecordFailure("a@x.com", "10.0.0.1");
        throttle.RecordFailure("a@x.com", "10.0.0.1");
        throttle.RecordSuccess("a@x.com");
        Assert.Null(throttle.RetryAfter("a@x.com", "10.0.0.2"));

        throttle.RecordFailure("b@x.com", "10.0.0.1");
        Assert.NotNull(throttle.RetryAfter("c@x.com", "10.0.0.1"));
    }
}
