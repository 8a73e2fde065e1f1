using Wagate.Settings;
using Wagate.Worker.Messaging;
using Xunit;

namespace Wagate.Worker.Tests;

/// <summary>Pacing from a worker's settings: defaults where unset, clear refusals of times that
/// cannot work.</summary>
public sealed class SendPacingTests
{
    [Fact]
    public void Unset_settings_pace_at_the_defaults_with_no_typing()
    {
        Assert.Equal(SendPacing.Default, SendPacing.From(new SettingReader(_ => null)));
        Assert.Equal(TimeSpan.Zero, SendPacing.Default.Typing);
    }

    [Fact]
    public void Settings_give_gap_jitter_and_typing_in_milliseconds()
    {
        var settings = new Dictionary<string, string> { ["WAGATE_SEND_MIN_GAP_MS"] = "0", ["WAGATE_SEND_JITTER_MS"] = "250", ["WAGATE_SEND_TYPING_MS"] = "2000" };

        Assert.Equal(new SendPacing(TimeSpan.Zero, TimeSpan.FromMilliseconds(250), TimeSpan.FromSeconds(2)), SendPacing.From(new SettingReader(settings.GetValueOrDefault)));
    }

    [Theory]
    [InlineData("WAGATE_SEND_TYPING_MS", "30000", "at most 25000")]
    [InlineData("WAGATE_SEND_MIN_GAP_MS", "-1", "must be between 0")]
    [InlineData("WAGATE_SEND_JITTER_MS", "fast", "must be a whole number")]
    public void Impossible_times_are_refused_naming_the_setting(string name, string value, string why)
    {
        var refused = Assert.Throws<InvalidSettingException>(() => SendPacing.From(new SettingReader(n => n == name ? value : null)));

        Assert.Contains(why, refused.Message, StringComparison.Ordinal);
        Assert.Equal(name, refused.Setting);
        Assert.StartsWith(name, refused.Message, StringComparison.Ordinal);
    }
}
