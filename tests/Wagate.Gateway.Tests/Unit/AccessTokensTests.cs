using System.Security.Cryptography;
using Wagate.Gateway.Security;
using Wagate.Gateway.Tests.Support;
using Xunit;

namespace Wagate.Gateway.Tests.Unit;

public sealed class AccessTokensTests
{
    private readonly ManualClock _clock = new(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
    private readonly byte[] _key = RandomNumberGenerator.GetBytes(32);

    [Fact]
    public void A_token_reads_back_its_user_until_it_expires()
    {
        var tokens = new AccessTokens(_key, TimeSpan.FromHours(1), _clock);
        var (token, expires) = tokens.Issue("us123");

        Assert.True(tokens.TryRead(token, out var user, out var expired));
        Assert.Equal("us123", user);
        Assert.False(expired);
        Assert.Equal(_clock.GetUtcNow().AddHours(1), expires);

        _clock.Advance(TimeSpan.FromHours(1));
        Assert.True(tokens.TryRead(token, out _, out expired));
        Assert.True(expired);
    }

    [Fact]
    public void A_token_signed_with_another_key_or_altered_is_rejected()
    {
        var tokens = new AccessTokens(_key, TimeSpan.FromHours(1), _clock);
        var (token, _) = tokens.Issue("us123");
        var other = new AccessTokens(RandomNumberGenerator.GetBytes(32), TimeSpan.FromHours(1), _clock);
        var parts = token.Split('.');
        var forgedPayload = Convert.ToBase64String("""{"iss":"wagate","sub":"admin","iat":0,"exp":9999999999}"""u8.ToArray())
            .TrimEnd('=').Replace('+', '-').Replace('/', '_');

        Assert.False(other.TryRead(token, out _, out _));
        Assert.False(tokens.TryRead($"{parts[0]}.{forgedPayload}.{parts[2]}", out _, out _));
        Assert.False(tokens.TryRead("a.b", out _, out _));
        Assert.False(tokens.TryRead("", out _, out _));
    }
}
