using Xunit;

namespace Wagate.Storage.Tests;

public sealed class BlobKeysTests
{
    public static TheoryData<string> ValidKeys => new(BlobKeyExamples.Valid);

    public static TheoryData<string> InvalidKeys => new(BlobKeyExamples.Invalid);

    [Theory]
    [MemberData(nameof(ValidKeys))]
    public void A_valid_key_is_accepted(string key) => BlobKeys.Validate(key);

    [Theory]
    [MemberData(nameof(InvalidKeys))]
    public void An_invalid_key_is_refused_with_a_message_naming_it(string key)
    {
        var refusal = Assert.Throws<ArgumentException>(() => BlobKeys.Validate(key));

        Assert.Contains($"'{key}'", refusal.Message, StringComparison.Ordinal);
        Assert.Equal("key", refusal.ParamName);
    }
}
