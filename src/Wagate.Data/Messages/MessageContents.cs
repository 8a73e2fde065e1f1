using System.Security.Cryptography;
using Google.Protobuf;
using Wagate.Contracts.Message.V1;

namespace Wagate.Data.Messages;

/// <summary>Message content as the database keeps it: without inline media data, which would
/// bloat every row, backup and event; the size and hash say what the data was.</summary>
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

    internal static string ToJson(Content content) =>
        HasInlineData(content)
            ? throw new ArgumentException("Media data goes to the blob store, not the database: store MessageContents.WithoutInlineData(content).", nameof(content))
            : JsonFormatter.Default.Format(content);

    internal static Content FromJson(string json) => StoredJson.Parser.Parse<Content>(json);

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
