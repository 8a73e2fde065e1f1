using Wagate.Gateway.Security;
using Xunit;

namespace Wagate.Gateway.Tests.Unit;

public sealed class PasswordTests
{
    [Fact]
    public void A_hash_verifies_its_password_only_and_is_salted()
    {
        var hasher = new PasswordHasher(10_000);

        var first = hasher.Hash("Correct-horse-9");
        var second = hasher.Hash("Correct-horse-9");

        Assert.StartsWith("pbkdf2-sha256$10000$", first);
        Assert.NotEqual(first, second);
        Assert.True(PasswordHasher.Verify("Correct-horse-9", first));
        Assert.False(PasswordHasher.Verify("correct-horse-9", first));
        Assert.False(PasswordHasher.Verify("Correct-horse-9", "plain-text"));
    }

    [Theory]
    [InlineData("short1!", "at least 10")]
    [InlineData("abcdefghijkl", "mix letters")]
    [InlineData("12345678901", "mix letters")]
    [InlineData("aaaaaaaaa1", "4 different")]
    [InlineData("alice-1234567", "email")]
    [InlineData("Password123", "common")]
    public void Weak_passwords_are_refused_with_the_reason(string password, string reason)
    {
        Assert.Contains(reason, PasswordPolicy.Weakness(password, "alice@example.com"));
    }

    [Fact]
    public void A_long_mixed_password_is_accepted()
    {
        Assert.Null(PasswordPolicy.Weakness("Tr0ub4dor&3-staple", "alice@example.com"));
    }
}
