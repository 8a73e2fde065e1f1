using Wagate.Data.Messages;
using Xunit;
using Direction = Wagate.Contracts.Message.V1.Message.Types.Direction;
using State = Wagate.Contracts.Message.V1.Message.Types.State;

namespace Wagate.Data.Tests;

/// <summary>ListMessages' filter: the documented AIP-160 subset parses; anything else fails with
/// a message that names the bad part.</summary>
public sealed class MessageFilterParserTests
{
    [Fact]
    public void The_documented_example_parses()
    {
        var filter = MessageFilterParser.Parse(
            "direction = DIRECTION_OUTBOUND AND state = STATE_FAILED AND create_time >= \"2026-11-01T00:00:00Z\"");

        Assert.Equal(new MessageFilter
        {
            Direction = Direction.Outbound,
            State = State.Failed,
            MinCreateTime = new TimeBound(new DateTime(2026, 11, 1, 0, 0, 0, DateTimeKind.Utc), Inclusive: true),
        }, filter);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    public void An_empty_filter_matches_everything(string text) => Assert.Equal(MessageFilter.None, MessageFilterParser.Parse(text));

    [Fact]
    public void Operators_need_no_spaces_and_values_may_be_bare_or_quoted()
    {
        var filter = MessageFilterParser.Parse("chat=+15551234567 AND state=\"STATE_READ\" AND create_time<2026-11-02T10:30:00.5+01:00");

        Assert.Equal("+15551234567", filter.Chat);
        Assert.Equal(State.Read, filter.State);
        Assert.Equal(new TimeBound(new DateTime(2026, 11, 2, 9, 30, 0, 500, DateTimeKind.Utc), Inclusive: false), filter.MaxCreateTime);
    }

    [Fact]
    public void A_quoted_value_keeps_escaped_quotes_and_spaces()
    {
        Assert.Equal("group \"one\"@g.us", MessageFilterParser.Parse("chat = \"group \\\"one\\\"@g.us\"").Chat);
    }

    [Fact]
    public void Create_time_takes_one_bound_of_each_side_or_an_exact_time()
    {
        var range = MessageFilterParser.Parse("create_time > \"2026-11-01T00:00:00Z\" AND create_time <= \"2026-11-02T00:00:00Z\"");
        var exact = MessageFilterParser.Parse("create_time = \"2026-11-01T00:00:00Z\"");

        Assert.Equal(new TimeBound(new DateTime(2026, 11, 1, 0, 0, 0, DateTimeKind.Utc), false), range.MinCreateTime);
        Assert.Equal(new TimeBound(new DateTime(2026, 11, 2, 0, 0, 0, DateTimeKind.Utc), true), range.MaxCreateTime);
        Assert.Equal(exact.MinCreateTime, exact.MaxCreateTime);
        Assert.True(exact.MinCreateTime!.Inclusive);
    }

    [Theory]
    [InlineData("colour = red", "unknown field \"colour\"")]
    [InlineData("direction = SIDEWAYS", "direction: \"SIDEWAYS\" is not one of DIRECTION_OUTBOUND, DIRECTION_INBOUND")]
    [InlineData("direction = DIRECTION_UNSPECIFIED", "\"DIRECTION_UNSPECIFIED\" is not one of")]
    [InlineData("state = STATE_LOST", "state: \"STATE_LOST\" is not one of STATE_QUEUED")]
    [InlineData("state > STATE_SENT", "state takes = only, not \">\"")]
    [InlineData("state != STATE_SENT", "operator \"!=\" is not supported")]
    [InlineData("chat : x", "operator \":\" is not supported")]
    [InlineData("state = STATE_READ OR state = STATE_SENT", "\"OR\" is not supported")]
    [InlineData("state = STATE_READ and chat = x", "\"and\" is not supported")]
    [InlineData("state = STATE_READ chat = x", "expected AND after a condition, found \"chat\"")]
    [InlineData("state = STATE_READ AND", "AND must be followed by a condition")]
    [InlineData("state =", "\"state =\" is not a condition")]
    [InlineData("state STATE_READ", "\"state STATE_READ\" is not a condition")]
    [InlineData("state STATE_READ x", "expected an operator after \"state\", found \"STATE_READ\"")]
    [InlineData("= STATE_READ x", "expected a field name, found \"=\"")]
    [InlineData("state = = x", "expected a value after \"state =\", found \"=\"")]
    [InlineData("create_time > yesterday", "create_time: \"yesterday\" is not an RFC 3339 time")]
    [InlineData("create_time > \"2026-11-01T00:00:00\"", "create_time: \"2026-11-01T00:00:00\" is not an RFC 3339 time")]
    [InlineData("create_time > \"2026-11-01\"", "is not an RFC 3339 time")]
    [InlineData("create_time > \"2026-11-01T00:00:00Z\" AND create_time >= \"2026-11-02T00:00:00Z\"", "repeats a bound")]
    [InlineData("state = STATE_READ AND state = STATE_SENT", "state is given twice")]
    [InlineData("chat = \"unclosed", "is not closed")]
    [InlineData("(state = STATE_READ)", "parentheses are not supported")]
    public void A_bad_filter_fails_naming_the_bad_part(string text, string expected)
    {
        var failure = Assert.Throws<MessageFilterException>(() => MessageFilterParser.Parse(text));

        Assert.StartsWith("filter: ", failure.Message, StringComparison.Ordinal);
        Assert.Contains(expected, failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_page_token_comes_back_as_it_went_out()
    {
        var token = new MessagePageToken(new DateTime(2026, 11, 1, 12, 0, 0, DateTimeKind.Utc).AddTicks(1230), "ms01jabc");

        Assert.True(MessagePageToken.TryDecode(token.Encode(), out var decoded));
        Assert.Equal(token, decoded);
    }

    [Theory]
    [InlineData("")]
    [InlineData("not a token!")]
    [InlineData("djE6bXMwMQ")] // "v1:ms01": the gateway's id tokens are not message tokens
    [InlineData("bTE6eDpteA")] // "m1:x:mx"
    public void Anything_else_is_not_a_page_token(string text) => Assert.False(MessagePageToken.TryDecode(text, out _));
}
