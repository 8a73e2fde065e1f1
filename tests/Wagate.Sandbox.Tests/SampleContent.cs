using System.Security.Cryptography;
using Google.Protobuf;
using Wagate.Contracts.Message.V1;
using Wagate.WhatsApp;
using Xunit;
using Kind = Wagate.Contracts.Sandbox.V1.SandboxMessage.Types.Kind;

namespace Wagate.Sandbox.Tests;

/// <summary>One message of every kind WhatsApp carries, with what the recipient's phone should
/// show of it; and content WhatsApp refuses, with the error code of its receipt.</summary>
internal static class SampleContent
{
    public static readonly byte[] Invoice = "%PDF-1.4 an invoice"u8.ToArray();

    public static TheoryData<string> Kinds => new()
    {
        "text", "reply", "image", "video", "voice note", "document", "location", "contact", "reaction", "poll",
    };

    public static TheoryData<string> Refused => new()
    {
        "no content", "empty text", "blank text", "media with no source", "media from a non-web URL", "empty inline media",
        "an oversized video", "an oversized document", "a long caption", "a latitude past the pole", "a nameless contact",
        "a contact that is no vCard", "a reaction to nothing", "a poll with one option", "a poll with repeated options",
        "a poll choosing more than it offers",
    };

    /// <summary>The content, its kind, the summary the phone lists, and whether it can be played.</summary>
    public static (Content Content, Kind Kind, string Summary, bool Playable) Of(string kind) => kind switch
    {
        "text" => (new Content { Text = new TextContent { Body = "hello @15550000002" }, Mentions = { "+15550000002" } }, Kind.Text, "hello @15550000002", false),
        "reply" => (new Content { Text = new TextContent { Body = "yes" }, ReplyTo = "SBEARLIER" }, Kind.Text, "yes", false),
        "image" => (new Content { Image = new MediaContent { Url = "https://example.com/cat.jpg", Caption = "a cat", MimeType = "image/jpeg" } }, Kind.Image, "a cat", false),
        "video" => (new Content { Video = new MediaContent { Url = "https://example.com/clip.mp4", Caption = "a clip" } }, Kind.Video, "a clip", true),
        "voice note" => (new Content { Audio = new MediaContent { Url = "https://example.com/note.ogg", MimeType = "audio/ogg; codecs=opus", VoiceNote = true } }, Kind.Audio, "", true),
        "document" => (new Content
        {
            Document = new MediaContent { Data = ByteString.CopyFrom(Invoice), FileName = "invoice.pdf", MimeType = "application/pdf", Caption = "March" },
        }, Kind.Document, "invoice.pdf", false),
        "location" => (new Content { Location = new LocationContent { Latitude = 52.5163, Longitude = 13.3777, Name = "Brandenburg Gate" } }, Kind.Location, "Brandenburg Gate", false),
        "contact" => (new Content
        {
            Contact = new ContactContent { DisplayName = "Ada", Vcard = "BEGIN:VCARD\nVERSION:3.0\nFN:Ada\nTEL;type=CELL:+15550000003\nEND:VCARD" },
        }, Kind.Contact, "Ada", false),
        // WhatsApp cannot know every message of a chat (they are end-to-end encrypted): a
        // reaction to an id it never carried is still delivered.
        "reaction" => (new Content { Reaction = new ReactionContent { MessageId = "SBNEVERSEEN", Emoji = "👍" } }, Kind.Reaction, "👍", false),
        "poll" => (new Content { Poll = new PollContent { Question = "Lunch?", Options = { "Pizza", "Sushi", "Salad" }, SelectableCount = 2 } }, Kind.Poll, "Lunch?", false),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };

    /// <summary>What the phone shows of <paramref name="content"/>: inline media only by its size
    /// and SHA-256 (the sandbox keeps no media), everything else as sent.</summary>
    public static Content AsRecorded(Content content)
    {
        var recorded = content.Clone();
        if (recorded.Document is { SourceCase: MediaContent.SourceOneofCase.Data } document)
        {
            document.SizeBytes = document.Data.Length;
            document.Sha256 = Convert.ToHexStringLower(SHA256.HashData(document.Data.Span));
            document.ClearSource();
        }
        return recorded;
    }

    /// <summary>Content WhatsApp refuses, and the error code of the receipt that says so.</summary>
    public static (Content Content, int Code) Refusal(string name) => name switch
    {
        "no content" => (new Content(), ReceiptErrorCodes.InvalidContent),
        "empty text" => (Text(""), ReceiptErrorCodes.InvalidContent),
        "blank text" => (Text(" \n "), ReceiptErrorCodes.InvalidContent),
        "media with no source" => (new Content { Image = new MediaContent { Caption = "nothing" } }, ReceiptErrorCodes.InvalidContent),
        "media from a non-web URL" => (new Content { Image = new MediaContent { Url = "file:///etc/passwd" } }, ReceiptErrorCodes.InvalidContent),
        "empty inline media" => (new Content { Audio = new MediaContent { Data = ByteString.Empty } }, ReceiptErrorCodes.InvalidContent),
        "an oversized video" => (new Content { Video = Uploaded(16L * 1024 * 1024 + 1) }, ReceiptErrorCodes.MediaTooLarge),
        "an oversized document" => (new Content { Document = Uploaded(100L * 1024 * 1024 + 1) }, ReceiptErrorCodes.MediaTooLarge),
        "a long caption" => (new Content { Image = new MediaContent { Url = "https://example.com/a.jpg", Caption = new string('c', 1025) } }, ReceiptErrorCodes.InvalidContent),
        "a latitude past the pole" => (new Content { Location = new LocationContent { Latitude = 90.5, Longitude = 0 } }, ReceiptErrorCodes.InvalidContent),
        "a nameless contact" => (new Content { Contact = new ContactContent { Vcard = "BEGIN:VCARD\nEND:VCARD" } }, ReceiptErrorCodes.InvalidContent),
        "a contact that is no vCard" => (new Content { Contact = new ContactContent { DisplayName = "Ada", Vcard = "Ada, +15550000003" } }, ReceiptErrorCodes.InvalidContent),
        "a reaction to nothing" => (new Content { Reaction = new ReactionContent { Emoji = "👍" } }, ReceiptErrorCodes.InvalidContent),
        "a poll with one option" => (Poll(0, "Pizza"), ReceiptErrorCodes.InvalidContent),
        "a poll with repeated options" => (Poll(0, "Pizza", "Pizza"), ReceiptErrorCodes.InvalidContent),
        "a poll choosing more than it offers" => (Poll(3, "Pizza", "Sushi"), ReceiptErrorCodes.InvalidContent),
        _ => throw new ArgumentOutOfRangeException(nameof(name), name, null),
    };

    public static Content Text(string body) => new() { Text = new TextContent { Body = body } };

    /// <summary>Media a device uploaded: the message carries only its size and hash.</summary>
    private static MediaContent Uploaded(long size) => new() { SizeBytes = size, Sha256 = new string('a', 64) };

    private static Content Poll(int selectable, params string[] options) =>
        new() { Poll = new PollContent { Question = "Lunch?", Options = { options }, SelectableCount = selectable } };
}
