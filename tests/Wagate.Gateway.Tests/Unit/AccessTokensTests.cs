using System.Security.Cryptography;
using System.Text.Json;
using Wagate.Gateway.Security;
using Wagate.Gateway.Tests.Support;
using Xunit;

namespace Wagate.Gateway.Tests.Unit;

public sealed class AccessTokensTests
{
    private static readonly TimeSpan Lifetime = TimeSpan.FromHours(1);
    // Longer than any clock skew the tokens tolerate between replicas.
    private static readonly TimeSpan WellPastExpiry = Lifetime + TimeSpan.FromMinutes(5);

    private readonly ManualClock _clock = new(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
    private readonly byte[] _key = RandomNumberGenerator.GetBytes(32);

    [Fact]
    public async Task A_token_reads_back_its_user_until_it_expires()
    {
        var tokens = new AccessTokens(_key, Lifetime, _clock);
        var (token, expires) = tokens.Issue("us123");

        var fresh = await tokens.CheckAsync(token);
        Assert.Equal("us123", fresh.UserId);
        Assert.False(fresh.Expired);
        Assert.Equal(_clock.GetUtcNow() + Lifetime, expires);

        _clock.Advance(WellPastExpiry);
        var old = await tokens.CheckAsync(token);
        Assert.Equal("us123", old.UserId);
        Assert.True(old.Expired);
    }

    [Fact]
    public async Task A_token_signed_with_another_key_or_altered_is_rejected()
    {
        var tokens = new AccessTokens(_key, Lifetime, _clock);
        var (token, _) = tokens.Issue("us123");
        var other = new AccessTokens(RandomNumberGenerator.GetBytes(32), Lifetime, _clock);
        var parts = token.Split('.');
        var payload = JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(FromBase64Url(parts[1]))!;
        payload["sub"] = JsonSerializer.SerializeToElement("admin");
        var forgedPayload = ToBase64Url(JsonSerializer.SerializeToUtf8Bytes(payload));

        Assert.Null((await other.CheckAsync(token)).UserId);
        Assert.Null((await tokens.CheckAsync($"{parts[0]}.{forgedPayload}.{parts[2]}")).UserId);
        Assert.Null((await tokens.CheckAsync("a.b")).UserId);
        Assert.Null((await tokens.CheckAsync("")).UserId);
    }

    [Fact]
    public async Task An_expired_token_of_an_unknown_key_is_invalid_rather_than_expired()
    {
        var tokens = new AccessTokens(_key, Lifetime, _clock);
        var (foreign, _) = new AccessTokens(RandomNumberGenerator.GetBytes(32), Lifetime, _clock).Issue("us123");

        _clock.Advance(WellPastExpiry);
        var check = await tokens.CheckAsync(foreign);

        Assert.Null(check.UserId);
        Assert.False(check.Expired);
    }

    [Fact]
    public async Task A_token_signed_by_the_previous_key_still_verifies_after_a_rotation()
    {
        var before = new AccessTokens(_key, Lifetime, _clock);
        var (oldToken, _) = before.Issue("us123");
        var newKey = RandomNumberGenerator.GetBytes(32);

        var rotated = new AccessTokens(newKey, Lifetime, _clock, previousSigningKey: _key);
        var (newToken, _) = rotated.Issue("us456");

        Assert.Equal("us123", (await rotated.CheckAsync(oldToken)).UserId);
        Assert.Equal("us456", (await rotated.CheckAsync(newToken)).UserId);
        // The previous key only verifies: what the rotated gateway issues is signed by the new key.
        Assert.Null((await before.CheckAsync(newToken)).UserId);
        Assert.NotEqual(KeyIdOf(oldToken), KeyIdOf(newToken));
    }

    [Fact]
    public async Task Once_the_previous_key_is_dropped_its_tokens_no_longer_verify()
    {
        var (oldToken, _) = new AccessTokens(_key, Lifetime, _clock).Issue("us123");

        var afterRotation = new AccessTokens(RandomNumberGenerator.GetBytes(32), Lifetime, _clock);

        Assert.Null((await afterRotation.CheckAsync(oldToken)).UserId);
    }

    [Fact]
    public void The_header_names_the_key_the_same_way_on_every_replica()
    {
        var (first, _) = new AccessTokens(_key, Lifetime, _clock).Issue("us123");
        var (second, _) = new AccessTokens((byte[])_key.Clone(), Lifetime, _clock).Issue("us456");

        var header = JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(FromBase64Url(first.Split('.')[0]))!;
        Assert.Equal("HS256", header["alg"].GetString());
        Assert.False(string.IsNullOrEmpty(KeyIdOf(first)));
        Assert.Equal(KeyIdOf(first), KeyIdOf(second));
    }

    [Fact]
    public void A_key_shorter_than_32_bytes_is_refused()
    {
        Assert.Throws<ArgumentException>(() => new AccessTokens(new byte[16], Lifetime, _clock));
        Assert.Throws<ArgumentException>(() => new AccessTokens(_key, Lifetime, _clock, previousSigningKey: new byte[16]));
    }

    private static string? KeyIdOf(string token) =>
        JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(FromBase64Url(token.Split('.')[0]))!["kid"].GetString();

    private static byte[] FromBase64Url(string text) => System.Buffers.Text.Base64Url.DecodeFromChars(text);

    private static string ToBase64Url(byte[] bytes) => System.Buffers.Text.Base64Url.EncodeToString(bytes);
}
