using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using Wagate.Core;

namespace Wagate.Data.Messages;

/// <summary>Where the next page of a newest-first message list starts: after the message with
/// this create time and id (keyset pagination, AIP-158). Ids alone would not do: a message's
/// create time is when it was received, which need not follow our id's clock.</summary>
public sealed record MessagePageToken(DateTime CreateTime, string Id)
{
    private const string Version = "m1";

    /// <summary>The opaque text clients get as next_page_token.</summary>
    public string Encode() => PageTokens.Encode(Version, DbTimes.Normalize(CreateTime).Ticks.ToString(CultureInfo.InvariantCulture), Id);

    /// <summary>Reads a token <see cref="Encode"/> made; false for anything else.</summary>
    public static bool TryDecode(string token, [NotNullWhen(true)] out MessagePageToken? pageToken)
    {
        pageToken = null;
        if (!PageTokens.TryDecode(token, Version, 2, out var fields)
            || fields[1].Length == 0
            || !long.TryParse(fields[0], NumberStyles.None, CultureInfo.InvariantCulture, out var ticks)
            || ticks > DateTime.MaxValue.Ticks)
        {
            return false;
        }
        pageToken = new MessagePageToken(new DateTime(ticks, DateTimeKind.Utc), fields[1]);
        return true;
    }
}
