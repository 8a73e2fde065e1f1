using System.Security.Cryptography;
using System.Text;
using Wagate.Gateway.Common;

namespace Wagate.Gateway.Security;

/// <summary>The shape of API key secrets: <c>wg_{prefix}_{secret}</c>. The prefix is public and
/// indexed, so a key is found with one lookup; the whole key is kept only as a SHA-256 hash,
/// which is enough for 160 random bits (a slow KDF protects guessable passwords, not these).</summary>
public static class ApiKeySecrets
{
    private const string Marker = "wg_";
    private const int PrefixLength = 10;
    private const int SecretLength = 32;

    public static (string Key, string Prefix, byte[] Hash) Create()
    {
        var prefix = Ids.RandomText(PrefixLength);
        var key = $"{Marker}{prefix}_{Ids.RandomText(SecretLength)}";
        return (key, prefix, HashOf(key));
    }

    public static bool TryGetPrefix(string key, out string prefix)
    {
        prefix = "";
        if (key.Length != Marker.Length + PrefixLength + 1 + SecretLength || !key.StartsWith(Marker, StringComparison.Ordinal)
            || key[Marker.Length + PrefixLength] != '_')
        {
            return false;
        }
        prefix = key.Substring(Marker.Length, PrefixLength);
        return true;
    }

    public static byte[] HashOf(string key) => SHA256.HashData(Encoding.UTF8.GetBytes(key));

    /// <summary>What lists show of a key: enough to recognise it, useless to an attacker.</summary>
    public static string DisplayPrefix(string prefix) => $"{Marker}{prefix}";
}
