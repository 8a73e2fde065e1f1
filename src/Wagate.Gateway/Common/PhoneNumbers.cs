namespace Wagate.Gateway.Common;

/// <summary>Phone numbers in international form. Input may carry spaces, dashes, dots,
/// parentheses and a leading "+" or "00"; the result is E.164: "+" then 8 to 15 digits, the
/// first not 0.</summary>
public static class PhoneNumbers
{
    public static bool TryNormalize(string input, out string e164)
    {
        e164 = "";
        var text = input.Trim();
        if (text.StartsWith('+'))
        {
            text = text[1..];
        }
        else if (text.StartsWith("00", StringComparison.Ordinal))
        {
            text = text[2..];
        }
        else
        {
            return false; // A national number cannot be routed without knowing the country.
        }
        var digits = new string(text.Where(c => c is not (' ' or '-' or '.' or '(' or ')')).ToArray());
        if (digits.Length is < 8 or > 15 || !digits.All(char.IsAsciiDigit) || digits[0] == '0')
        {
            return false;
        }
        e164 = "+" + digits;
        return true;
    }

    public const string Expected = "must be an international number such as +15551234567";
}
