using System.Security.Cryptography;

namespace Wagate.Data;

/// <summary>Resource ids of every row: a two-letter kind, ten characters of milliseconds since
/// 1970 and eight random ones, all lower-case Crockford base32 (AIP-122 friendly). Ordering by id
/// orders by creation time to the millisecond, which gives keyset pagination a stable order.</summary>
public static class RecordIds
{
    private const string Alphabet = "0123456789abcdefghjkmnpqrstvwxyz";

    public static string NewMessageId() => New("ms");

    public static string NewWebhookId() => New("wh");

    /// <summary>Names one claim of webhook deliveries, so a sender whose claim ran out and was
    /// taken over cannot settle deliveries it no longer holds.</summary>
    public static string NewClaimToken() => New("cl");

    /// <summary>A new id of the two-letter <paramref name="kind"/>.</summary>
    public static string New(string kind)
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
