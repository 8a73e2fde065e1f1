using Google.Protobuf;
using Wagate.Contracts.Message.V1;
using Wagate.Core;

namespace Wagate.Data.Messages;

/// <summary>Message content as a row keeps it: protobuf JSON, never with inline media data.</summary>
internal static class StoredContent
{
    public static string ToJson(Content content) =>
        MessageContents.HasInlineData(content)
            ? throw new ArgumentException("Media data goes to the blob store, not the database: store MessageContents.WithoutInlineData(content).", nameof(content))
            : JsonFormatter.Default.Format(content);

    public static Content FromJson(string json) => StoredJson.Parser.Parse<Content>(json);
}
