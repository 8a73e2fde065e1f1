using System.Buffers.Text;
using System.Security.Cryptography;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Wagate.Gateway.Security;

/// <summary>Signed access tokens for users, JWTs (HS256) issued and checked by
/// Microsoft.IdentityModel so that any JWT tool can read them. They name the user only: role,
/// tenant state and admin rights are read from the database on every call, which is what makes a
/// suspension take effect at once. The current key signs; the previous key, while it is set,
/// still verifies the tokens it signed, so a key can be rotated without logging everyone out.</summary>
public sealed class AccessTokens
{
    private const string Issuer = "wagate";
    private const string Audience = "wagate-api";
    // HMAC-SHA256 keys shorter than the hash are refused by IdentityModel (and weaker anyway).
    private const int MinimumKeyBytes = 32;
    // Replicas issue and check each other's tokens; their clocks may differ by a few seconds.
    private static readonly TimeSpan ClockSkew = TimeSpan.FromSeconds(30);

    private readonly JsonWebTokenHandler _handler = new() { SetDefaultTimesOnTokenCreation = false };
    private readonly SigningCredentials _signing;
    private readonly TokenValidationParameters _validation;
    private readonly TimeProvider _clock;

    public AccessTokens(byte[] signingKey, TimeSpan lifetime, TimeProvider clock, byte[]? previousSigningKey = null)
    {
        Lifetime = lifetime;
        _clock = clock;
        var current = KeyOf(signingKey);
        _signing = new SigningCredentials(current, SecurityAlgorithms.HmacSha256);
        _validation = new TokenValidationParameters
        {
            ValidIssuer = Issuer,
            ValidAudience = Audience,
            IssuerSigningKeys = previousSigningKey is null ? [current] : [current, KeyOf(previousSigningKey)],
            // The kid must name one of our keys; no trying every key on a token without one.
            TryAllIssuerSigningKeys = false,
            ValidAlgorithms = [SecurityAlgorithms.HmacSha256],
            // Lifetime is checked below, on a verified token and on the gateway's clock (the
            // TimeProvider that stamps the tokens). The library would read the system clock, and
            // when no key matches it reports expiry before the signature, so its "expired" does
            // not prove that a token is ours.
            ValidateLifetime = false,
        };
    }

    public TimeSpan Lifetime { get; }

    public (string Token, DateTimeOffset ExpireTime) Issue(string userId)
    {
        var now = _clock.GetUtcNow();
        var expires = now + Lifetime;
        var token = _handler.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = Issuer,
            Audience = Audience,
            Claims = new Dictionary<string, object> { [JwtRegisteredClaimNames.Sub] = userId },
            IssuedAt = now.UtcDateTime,
            NotBefore = now.UtcDateTime,
            Expires = expires.UtcDateTime,
            SigningCredentials = _signing,
        });
        return (token, expires);
    }

    /// <summary>Checks a token. Anything that is not a token signed by one of our keys for this
    /// API reads as <see cref="AccessTokenCheck.Invalid"/>; a genuine but expired token reads as
    /// expired, with its user, so clients know to log in again.</summary>
    public async Task<AccessTokenCheck> CheckAsync(string token)
    {
        var result = await _handler.ValidateTokenAsync(token, _validation);
        if (!result.IsValid || result.SecurityToken is not JsonWebToken verified
            || verified.Subject is not { Length: > 0 } userId
            || verified.ValidTo == DateTime.MinValue) // no expiry: never one we issued
        {
            return AccessTokenCheck.Invalid;
        }
        var now = _clock.GetUtcNow().UtcDateTime;
        if (verified.ValidFrom > now + ClockSkew)
        {
            return AccessTokenCheck.Invalid;
        }
        return new AccessTokenCheck(userId, Expired: verified.ValidTo + ClockSkew <= now);
    }

    private static SymmetricSecurityKey KeyOf(byte[] key)
    {
        if (key.Length < MinimumKeyBytes)
        {
            throw new ArgumentException($"A token signing key must have at least {MinimumKeyBytes} bytes.", nameof(key));
        }
        return new SymmetricSecurityKey(key) { KeyId = KeyIdOf(key) };
    }

    /// <summary>Derived from the key itself so that every replica holding the same key names it
    /// the same way, with no registry of ids. An HMAC of a fixed label rather than a plain hash,
    /// so the id published in every token is not a digest of the secret.</summary>
    private static string KeyIdOf(byte[] key) =>
        Base64Url.EncodeToString(HMACSHA256.HashData(key, "wagate access token key id"u8).AsSpan(0, 9));
}

/// <summary>What a token says: its user when it is one of ours (<see cref="UserId"/> is null
/// otherwise), and whether it has expired.</summary>
public sealed record AccessTokenCheck(string? UserId, bool Expired)
{
    public static readonly AccessTokenCheck Invalid = new(null, Expired: false);
}
