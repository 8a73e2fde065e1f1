using System.Security.Cryptography;
using Google.Protobuf;
using Wagate.Contracts.Message.V1;

namespace Wagate.Core;

/// <summary>Rules of message content that every side applies alike: content is stored and
/// announced without inline media data, which would bloat every row, backup and event; the size
/// and hash say what the data was.</summary>
public static class MessageContents
{
    /// <summary>A copy of <paramref name="content"/> with any inline media data removed and its
    /// <c>size_bytes</c> and <c>sha256</c> set. Keep the data elsewhere first (the blob store):
    /// this is what may be stored.</summary>
    public static Content WithoutInlineData(Content content)
    {
        ArgumentNullException.ThrowIfNull(content);
        var copy = content.Clone();
        if (MediaOf(copy) is { SourceCase: MediaContent.SourceOneofCase.Data } media)
        {
            media.SizeBytes = media.Data.Length;
            media.Sha256 = Convert.ToHexStringLower(SHA256.HashData(media.Data.Span));
            media.ClearSource();
        }
        return copy;
    }

    public static bool HasInlineData(Content content)
    {
        ArgumentNullException.ThrowIfNull(content);
        return MediaOf(content) is { SourceCase: MediaContent.SourceOneofCase.Data };
    }

    /// <summary>The media part of <paramref name="content"/>; null for text, locations and the other kinds without media.</summary>
    public static MediaContent? MediaOf(Content content) => content.KindCase switch
    {
        Content.KindOneofCase.Image => content.Image,
        Content.KindOneofCase.Video => content.Video,
        Content.KindOneofCase.Audio => content.Audio,
        Content.KindOneofCase.Document => content.Document,
        _ => null,
    };
}
