using System.Security.Cryptography;

namespace Wagate.Data;

/// <summary>Ids of the rows this library creates, in the gateway's scheme (Wagate.Gateway's
/// Ids): a two-letter kind, ten characters of milliseconds since 1970 and eight random ones,
/// all lower-case Crockford base32. They are valid resource ids, and ordering by id orders by
/// creation time to the millisecond.</summary>
public static class RecordIds
{
    private const string Alphabet = "0123456789abcdefghjkmnpqrstvwxyz";

    public static string NewMessageId() => New("ms");

    public static string NewWebhookId() => New("wh");

    /// <summary>Names one claim of webhook deliveries, so a sender whose claim ran out and was
    /// taken over cannot settle deliveries it no longer holds.</summary>
    public static string NewClaimToken() => New("cl");

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
}
