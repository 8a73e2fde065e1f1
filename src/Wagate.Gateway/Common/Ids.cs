using System.Security.Cryptography;

namespace Wagate.Gateway.Common;

/// <summary>Resource ids: a two-letter kind, then a time-ordered part, then randomness, all in
/// lower-case Crockford base32 (AIP-122 friendly). Ordering by id orders by creation time,
/// which gives keyset pagination a stable order for free.</summary>
public static class Ids
{
    private const string Alphabet = "0123456789abcdefghjkmnpqrstvwxyz";

    public static string NewTenantId() => New("tn");

    public static string NewUserId() => New("us");

    public static string NewApiKeyId() => New("ak");

    public static string NewSessionId() => New("se");

    private static string New(string kind)
    {
        Span<char> chars = stackalloc char[2 + 10 + 8];
        kind.AsSpan().CopyTo(chars);
        var millis = (ulong)DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        for (var i = 11; i >= 2; i--)
        {
            chars[i] = Alphabet[(int)(millis & 31)];
            millis >>= 5;
        }
        Span<byte> random = stackalloc byte[8];
        RandomNumberGenerator.Fill(random);
        for (var i = 0; i < 8; i++)
        {
            chars[12 + i] = Alphabet[random[i] & 31];
        }
        return new string(chars);
    }

    /// <summary>Random lower-case base32 text, for secrets and key prefixes.</summary>
    public static string RandomText(int length)
    {
        Span<byte> random = stackalloc byte[length];
        RandomNumberGenerator.Fill(random);
        Span<char> chars = stackalloc char[length];
        for (var i = 0; i < length; i++)
        {
            chars[i] = Alphabet[random[i] & 31];
        }
        return new string(chars);
    }
}
