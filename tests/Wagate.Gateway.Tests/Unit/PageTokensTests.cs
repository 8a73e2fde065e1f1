using System.Text;
using Wagate.Core;
using Xunit;

namespace Wagate.Gateway.Tests.Unit;

/// <summary>Page tokens, one format for every list: opaque, versioned, and a token of one list is
/// no token of another.</summary>
public sealed class PageTokensTests
{
    [Fact]
    public void A_token_gives_back_the_fields_it_was_made_of()
    {
        var token = PageTokens.Encode("m1", "638000000000000000", "msg-1:with-colon");

        Assert.True(PageTokens.TryDecode(token, "m1", 2, out var fields));
        Assert.Equal(["638000000000000000", "msg-1:with-colon"], fields);
        Assert.DoesNotContain(':', token);
    }

    [Theory]
    [InlineData("v1", 2)] // another list's version
    [InlineData("m1", 3)] // fewer fields than the list needs
    public void A_token_of_another_list_is_refused(string version, int fields) =>
        Assert.False(PageTokens.TryDecode(PageTokens.Encode("m1", "1", "a"), version, fields, out _));

    [Theory]
    [InlineData("")]
    [InlineData("not a token!")]
    [InlineData("bTE6MQ")] // "m1:1": another version
    public void What_this_API_did_not_issue_is_refused(string token) =>
        Assert.False(PageTokens.TryDecode(token, "v1", 1, out _));

    [Fact]
    public void Tokens_issued_before_the_format_was_unified_still_read()
    {
        // Standard base64 with '+' and '/', padding trimmed, as the gateway issued them before.
        var legacy = Convert.ToBase64String(Encoding.UTF8.GetBytes("v1:a?>~b")).TrimEnd('=');
        Assert.True(legacy.Contains('+', StringComparison.Ordinal) || legacy.Contains('/', StringComparison.Ordinal));

        Assert.True(PageTokens.TryDecode(legacy, "v1", 1, out var fields));
        Assert.Equal("a?>~b", fields[0]);
    }
}
