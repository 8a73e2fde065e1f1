using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Wagate.Gateway.Security;

/// <summary>Signed access tokens for users, in JWT form (HS256) so that any JWT tool can read
/// them. They name the user only: role, tenant state and admin rights are read from the
/// database on every call, which is what makes a suspension take effect at once.</summary>
public sealed class AccessTokens(byte[] signingKey, TimeSpan lifetime, TimeProvider clock)
{
    private const string Issuer = "wagate";
    private static readonly byte[] Header = Encoding.UTF8.GetBytes("""{"alg":"HS256","typ":"JWT"}""");

    public TimeSpan Lifetime => lifetime;

    public (string Token, DateTimeOffset ExpireTime) Issue(string userId)
    {
        var now = clock.GetUtcNow();
        var expires = now + lifetime;
        var claims = new TokenClaims(Issuer, userId, now.ToUnixTimeSeconds(), expires.ToUnixTimeSeconds());
        var payload = JsonSerializer.SerializeToUtf8Bytes(claims, TokenJson.Default.TokenClaims);
        var signingInput = $"{Base64Url(Header)}.{Base64Url(payload)}";
        return ($"{signingInput}.{Base64Url(Sign(signingInput))}", expires);
    }

    /// <summary>Reads a token. Fails (returns false) on anything that is not a token we signed,
    /// and reports expiry separately so clients know to log in again.</summary>
    public bool TryRead(string token, out string userId, out bool expired)
    {
        userId = "";
        expired = false;
        var parts = token.Split('.');
        if (parts.Length != 3)
        {
            return false;
        }
        var expected = Sign($"{parts[0]}.{parts[1]}");
        if (!TryFromBase64Url(parts[2], out var signature) || !CryptographicOperations.FixedTimeEquals(signature, expected)
            || !TryFromBase64Url(parts[1], out var payload))
        {
            return false;
        }
        TokenClaims? claims;
        try
        {
            claims = JsonSerializer.Deserialize(payload, TokenJson.Default.TokenClaims);
        }
        catch (JsonException)
        {
            return false;
        }
        if (claims is null || claims.Issuer != Issuer || string.IsNullOrEmpty(claims.Subject))
        {
            return false;
        }
        userId = claims.Subject;
        expired = clock.GetUtcNow().ToUnixTimeSeconds() >= claims.ExpiresAt;
        return true;
    }

    private byte[] Sign(string signingInput) => HMACSHA256.HashData(signingKey, Encoding.ASCII.GetBytes(signingInput));

    private static string Base64Url(byte[] bytes) =>
        Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static bool TryFromBase64Url(string text, out byte[] bytes)
    {
        var padded = text.Replace('-', '+').Replace('_', '/');
        padded += new string('=', (4 - padded.Length % 4) % 4);
        bytes = new byte[padded.Length];
        if (!Convert.TryFromBase64String(padded, bytes, out var written))
        {
            return false;
        }
        bytes = bytes[..written];
        return true;
    }
}

internal sealed record TokenClaims(
    [property: JsonPropertyName("iss")] string Issuer,
    [property: JsonPropertyName("sub")] string Subject,
    [property: JsonPropertyName("iat")] long IssuedAt,
    [property: JsonPropertyName("exp")] long ExpiresAt);

[JsonSerializable(typeof(TokenClaims))]
internal sealed partial class TokenJson : JsonSerializerContext;
