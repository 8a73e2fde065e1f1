using System.Globalization;
using System.Security.Cryptography;

namespace Wagate.Gateway.Security;

/// <summary>PBKDF2-HMAC-SHA256 password hashes, self-describing
/// (<c>pbkdf2-sha256$iterations$salt$hash</c>) so the work factor can be raised later without
/// invalidating stored hashes.</summary>
public sealed class PasswordHasher(int iterations)
{
    /// <summary>OWASP's 2023 recommendation for PBKDF2-HMAC-SHA256.</summary>
    public const int DefaultIterations = 600_000;

    private const string Scheme = "pbkdf2-sha256";
    private const int SaltBytes = 16;
    private const int HashBytes = 32;

    public string Hash(string password)
    {
        var salt = RandomNumberGenerator.GetBytes(SaltBytes);
        var hash = Rfc2898DeriveBytes.Pbkdf2(password, salt, iterations, HashAlgorithmName.SHA256, HashBytes);
        return string.Join('$', Scheme, iterations.ToString(CultureInfo.InvariantCulture),
            Convert.ToBase64String(salt), Convert.ToBase64String(hash));
    }

    public static bool Verify(string password, string encoded)
    {
        var parts = encoded.Split('$');
        if (parts.Length != 4 || parts[0] != Scheme
            || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var rounds))
        {
            return false;
        }
        var salt = Convert.FromBase64String(parts[2]);
        var expected = Convert.FromBase64String(parts[3]);
        var actual = Rfc2898DeriveBytes.Pbkdf2(password, salt, rounds, HashAlgorithmName.SHA256, expected.Length);
        return CryptographicOperations.FixedTimeEquals(actual, expected);
    }

    /// <summary>Spends the same time as a real verification, so that a login for an unknown
    /// email cannot be told apart from a wrong password by its latency.</summary>
    public void VerifyNothing(string password) =>
        Rfc2898DeriveBytes.Pbkdf2(password, new byte[SaltBytes], iterations, HashAlgorithmName.SHA256, HashBytes);
}
