using System.Buffers.Text;
using System.Diagnostics.CodeAnalysis;
using System.Text;

namespace Wagate.Core;

/// <summary>Every page token of the API (AIP-158), built one way: a version tag and the fields a
/// list resumes from, joined with ':' and encoded base64url, so that clients treat it as opaque
/// and a token of one list is refused by another.</summary>
public static class PageTokens
{
    /// <param name="version">Which list and format the token is for (e.g. "v1", "m1").</param>
    /// <param name="fields">Where the next page starts; none may contain ':' except the last.</param>
    public static string Encode(string version, params string[] fields)
    {
        ArgumentException.ThrowIfNullOrEmpty(version);
        ArgumentNullException.ThrowIfNull(fields);
        return Base64Url.EncodeToString(Encoding.UTF8.GetBytes(string.Join(':', [version, .. fields])));
    }

    /// <summary>The fields of a token <see cref="Encode"/> made with <paramref name="version"/> and
    /// <paramref name="fieldCount"/> fields; false for anything else.</summary>
    public static bool TryDecode(string token, string version, int fieldCount, [NotNullWhen(true)] out string[]? fields)
    {
        fields = null;
        if (string.IsNullOrEmpty(token))
        {
            return false;
        }
        // Tokens from before this format were standard base64 with the padding trimmed: the same
        // bytes in the other alphabet, so a client paging through an upgrade is not refused.
        var urlSafe = token.TrimEnd('=').Replace('+', '-').Replace('/', '_');
        if (!Base64Url.IsValid(urlSafe))
        {
            return false;
        }
        var parts = Encoding.UTF8.GetString(Base64Url.DecodeFromChars(urlSafe)).Split(':', fieldCount + 1);
        if (parts.Length != fieldCount + 1 || parts[0] != version)
        {
            return false;
        }
        fields = parts[1..];
        return true;
    }
}
