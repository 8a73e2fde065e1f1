using System.Text;
using Wagate.Gateway.Errors;

namespace Wagate.Gateway.Common;

/// <summary>AIP-158 pagination over time-ordered ids: the page token is the last id returned,
/// made opaque so clients do not build their own.</summary>
public static class Paging
{
    public const int DefaultPageSize = 50;
    public const int MaxPageSize = 1000;

    public static int Size(int requested) => requested == 0 ? DefaultPageSize : requested;

    public static string Token(string lastId) =>
        Convert.ToBase64String(Encoding.UTF8.GetBytes("v1:" + lastId)).TrimEnd('=');

    /// <summary>The id after which the page starts, or null for the first page.</summary>
    public static string? After(string pageToken, string field = "pageToken")
    {
        if (string.IsNullOrEmpty(pageToken))
        {
            return null;
        }
        try
        {
            var padded = pageToken + new string('=', (4 - pageToken.Length % 4) % 4);
            var text = Encoding.UTF8.GetString(Convert.FromBase64String(padded));
            if (text.StartsWith("v1:", StringComparison.Ordinal) && ResourceName.IsId(text[3..]))
            {
                return text[3..];
            }
        }
        catch (FormatException)
        {
            // Falls through to the error below: a token we did not issue.
        }
        throw ApiErrors.InvalidArgument(field, "is not a page token returned by this API");
    }
}
