using Wagate.Core;
using Wagate.Data;
using Wagate.Gateway.Errors;

namespace Wagate.Gateway.Common;

/// <summary>AIP-158 pagination over time-ordered ids: the page token is the last id returned,
/// made opaque so clients do not build their own.</summary>
public static class Paging
{
    public const int DefaultPageSize = 50;
    public const int MaxPageSize = 1000;

    public static int Size(int requested) => requested == 0 ? DefaultPageSize : requested;

    public static string Token(string lastId) => PageTokens.Encode(Version, lastId);

    /// <summary>The token of the page after <paramref name="page"/>; empty after the last.</summary>
    public static string NextToken<T>(RecordPage<T> page) => page.NextAfterId is { } last ? Token(last) : "";

    /// <summary>The id after which the page starts, or null for the first page.</summary>
    public static string? After(string pageToken, string field = "pageToken")
    {
        if (string.IsNullOrEmpty(pageToken))
        {
            return null;
        }
        return PageTokens.TryDecode(pageToken, Version, 1, out var fields) && ResourceNames.IsId(fields[0])
            ? fields[0]
            : throw ApiErrors.InvalidArgument(field, "is not a page token returned by this API");
    }

    private const string Version = "v1";
}
