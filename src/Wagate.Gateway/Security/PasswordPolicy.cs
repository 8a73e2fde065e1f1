namespace Wagate.Gateway.Security;

/// <summary>The minimum password strength: long enough, not a single character class, not
/// built from the email address, and not one of the passwords every attacker tries first.</summary>
public static class PasswordPolicy
{
    public const int MinLength = 10;
    public const int MaxLength = 128;

    private static readonly HashSet<string> Common = new(StringComparer.OrdinalIgnoreCase)
    {
        "password123", "password1234", "1234567890", "qwertyuiop", "123456789a", "iloveyou123",
        "passw0rd123", "administrator", "letmein1234", "welcome123", "qwerty12345", "abc1234567",
        "whatsapp123", "changeme123", "password!!", "p@ssw0rd123",
    };

    /// <summary>Why <paramref name="password"/> is too weak, or null when it is acceptable.</summary>
    public static string? Weakness(string password, string email)
    {
        if (password.Length < MinLength)
        {
            return $"must be at least {MinLength} characters";
        }
        if (password.Length > MaxLength)
        {
            return $"must be at most {MaxLength} characters";
        }
        if (password.All(char.IsLetter) || password.All(char.IsDigit))
        {
            return "must mix letters with digits or symbols";
        }
        if (password.Distinct().Count() < 4)
        {
            return "must use at least 4 different characters";
        }
        var localPart = email.Split('@')[0];
        if (localPart.Length >= 4 && password.Contains(localPart, StringComparison.OrdinalIgnoreCase))
        {
            return "must not contain the email address";
        }
        if (Common.Contains(password))
        {
            return "is too common";
        }
        return null;
    }
}
