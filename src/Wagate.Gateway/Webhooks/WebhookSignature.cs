using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Wagate.Gateway.Webhooks;

/// <summary>The <c>Wagate-Signature</c> header: <c>t=&lt;unix seconds&gt;,v1=&lt;hex HMAC-SHA256(secret,
/// t + "." + body)&gt;</c>, as Stripe signs its webhooks. The timestamp is inside the signed text,
/// so a receiver that refuses old timestamps cannot be fed a recorded delivery again later.</summary>
public static class WebhookSignature
{
    public const string Header = "Wagate-Signature";

    public static string Create(string secret, DateTimeOffset time, ReadOnlySpan<byte> body)
    {
        var timestamp = time.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        return $"t={timestamp},v1={Convert.ToHexStringLower(Mac(secret, timestamp, body))}";
    }

    /// <summary>Whether <paramref name="header"/> signs <paramref name="body"/> with
    /// <paramref name="secret"/> at a time no further than <paramref name="tolerance"/> from
    /// <paramref name="now"/>. Compares in constant time.</summary>
    public static bool Verify(string secret, string header, ReadOnlySpan<byte> body, DateTimeOffset now, TimeSpan tolerance)
    {
        string? timestamp = null;
        var signatures = new List<byte[]>();
        foreach (var part in header.Split(',', StringSplitOptions.TrimEntries))
        {
            if (part.StartsWith("t=", StringComparison.Ordinal))
            {
                timestamp = part[2..];
            }
            else if (part.StartsWith("v1=", StringComparison.Ordinal) && TryHex(part[3..], out var signature))
            {
                signatures.Add(signature);
            }
        }
        if (timestamp is null || !long.TryParse(timestamp, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds)
            || (now - DateTimeOffset.FromUnixTimeSeconds(seconds)).Duration() > tolerance)
        {
            return false;
        }
        var expected = Mac(secret, timestamp, body);
        return signatures.Any(signature => CryptographicOperations.FixedTimeEquals(signature, expected));
    }

    private static byte[] Mac(string secret, string timestamp, ReadOnlySpan<byte> body)
    {
        var prefix = Encoding.UTF8.GetBytes(timestamp + ".");
        var signed = new byte[prefix.Length + body.Length];
        prefix.CopyTo(signed, 0);
        body.CopyTo(signed.AsSpan(prefix.Length));
        return HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), signed);
    }

    private static bool TryHex(string text, out byte[] bytes)
    {
        try
        {
            bytes = Convert.FromHexString(text);
            return true;
        }
        catch (FormatException)
        {
            bytes = [];
            return false;
        }
    }
}
