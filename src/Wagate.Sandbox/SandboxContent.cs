using System.Globalization;
using System.Security.Cryptography;
using Wagate.Contracts.Message.V1;
using Wagate.Contracts.Sandbox.V1;
using Wagate.WhatsApp;
using Kind = Wagate.Contracts.Sandbox.V1.SandboxMessage.Types.Kind;

namespace Wagate.Sandbox;

/// <summary>What the network makes of a message's content: whether WhatsApp would take it,
/// its kind and summary, and the form it keeps it in. WhatsApp's servers only see encrypted
/// payloads, so what they refuse is what WhatsApp's clients refuse to build (an empty text, a
/// poll with one option, a contact card that is no vCard) and media past the upload limits;
/// references to earlier messages (a reaction, a reply) are never checked, as WhatsApp
/// cannot: a reaction to a message the chat never saw is delivered, and shown by nobody.</summary>
internal static class SandboxContent
{
    /// <summary>Null when WhatsApp would send it; otherwise the receipt's error code
    /// (<see cref="ReceiptErrorCodes"/>) and why.</summary>
    public static (int Code, string Reason)? Refusal(Content content) => content.KindCase switch
    {
        Content.KindOneofCase.Text => string.IsNullOrWhiteSpace(content.Text.Body) ? Invalid("the text is empty")
            : content.Text.Body.Length > WhatsAppLimits.TextLength ? Invalid($"the text is longer than {WhatsAppLimits.TextLength} characters")
            : null,
        Content.KindOneofCase.Image => MediaRefusal("picture", content.Image, WhatsAppLimits.MediaBytes),
        Content.KindOneofCase.Video => MediaRefusal("video", content.Video, WhatsAppLimits.MediaBytes),
        Content.KindOneofCase.Audio => MediaRefusal("audio", content.Audio, WhatsAppLimits.MediaBytes),
        Content.KindOneofCase.Document => MediaRefusal("document", content.Document, WhatsAppLimits.DocumentBytes),
        Content.KindOneofCase.Location => LocationRefusal(content.Location),
        Content.KindOneofCase.Contact => ContactRefusal(content.Contact),
        Content.KindOneofCase.Reaction => content.Reaction.MessageId.Length == 0 ? Invalid("the reaction names no message") : null,
        Content.KindOneofCase.Poll => PollRefusal(content.Poll),
        _ => Invalid("the message carries no content"),
    };

    public static Kind KindOf(Content content) => content.KindCase switch
    {
        Content.KindOneofCase.Text => Kind.Text,
        Content.KindOneofCase.Image => Kind.Image,
        Content.KindOneofCase.Video => Kind.Video,
        Content.KindOneofCase.Audio => Kind.Audio,
        Content.KindOneofCase.Document => Kind.Document,
        Content.KindOneofCase.Location => Kind.Location,
        Content.KindOneofCase.Contact => Kind.Contact,
        Content.KindOneofCase.Reaction => Kind.Reaction,
        Content.KindOneofCase.Poll => Kind.Poll,
        _ => Kind.Unspecified,
    };

    /// <summary>Voice notes, audio and videos are played (WhatsApp's "played" receipt).</summary>
    public static bool IsPlayable(Kind kind) => kind is Kind.Audio or Kind.Video;

    /// <summary>What a chat list would show of it (SandboxMessage.text).</summary>
    public static string Summary(Content content) => content.KindCase switch
    {
        Content.KindOneofCase.Text => content.Text.Body,
        Content.KindOneofCase.Image => content.Image.Caption,
        Content.KindOneofCase.Video => content.Video.Caption,
        Content.KindOneofCase.Audio => content.Audio.Caption,
        Content.KindOneofCase.Document => content.Document.FileName.Length > 0 ? content.Document.FileName : content.Document.Caption,
        Content.KindOneofCase.Location => content.Location.Name.Length > 0 ? content.Location.Name
            : content.Location.Address.Length > 0 ? content.Location.Address
            : string.Create(CultureInfo.InvariantCulture, $"{content.Location.Latitude},{content.Location.Longitude}"),
        Content.KindOneofCase.Contact => content.Contact.DisplayName,
        Content.KindOneofCase.Reaction => content.Reaction.Emoji,
        Content.KindOneofCase.Poll => content.Poll.Question,
        _ => "",
    };

    /// <summary>The content as the network keeps it: inline media replaced by its size and
    /// SHA-256 (the sandbox stores no media), a URL as given (the sandbox fetches nothing).</summary>
    public static Content Recorded(Content content)
    {
        var kept = content.Clone();
        var media = kept.KindCase switch
        {
            Content.KindOneofCase.Image => kept.Image,
            Content.KindOneofCase.Video => kept.Video,
            Content.KindOneofCase.Audio => kept.Audio,
            Content.KindOneofCase.Document => kept.Document,
            _ => null,
        };
        if (media is { SourceCase: MediaContent.SourceOneofCase.Data })
        {
            media.SizeBytes = media.Data.Length;
            media.Sha256 = Convert.ToHexStringLower(SHA256.HashData(media.Data.Span));
            media.ClearSource();
        }
        return kept;
    }

    private static (int, string)? MediaRefusal(string what, MediaContent media, long limit)
    {
        var size = media.SourceCase == MediaContent.SourceOneofCase.Data ? media.Data.Length : media.SizeBytes;
        switch (media.SourceCase)
        {
            case MediaContent.SourceOneofCase.Url when !IsWebAddress(media.Url):
                return Invalid($"the {what}'s URL is not an http or https address");
            case MediaContent.SourceOneofCase.Data when media.Data.IsEmpty:
                return Invalid($"the {what} is empty");
            case MediaContent.SourceOneofCase.None when media.Sha256.Length != 64 || !media.Sha256.All(Uri.IsHexDigit) || media.SizeBytes <= 0:
                // Neither a URL nor an upload: nothing to show the recipient.
                return Invalid($"the {what} has no URL, data, or uploaded size and SHA-256");
        }
        if (size > limit)
        {
            return (ReceiptErrorCodes.MediaTooLarge, $"the {what} is larger than {limit / (1024 * 1024)} MB");
        }
        return media.Caption.Length > WhatsAppLimits.CaptionLength ? Invalid($"the caption is longer than {WhatsAppLimits.CaptionLength} characters") : null;
    }

    private static (int, string)? LocationRefusal(LocationContent location) =>
        !double.IsFinite(location.Latitude) || Math.Abs(location.Latitude) > 90 ? Invalid("the latitude is not between -90 and 90")
        : !double.IsFinite(location.Longitude) || Math.Abs(location.Longitude) > 180 ? Invalid("the longitude is not between -180 and 180")
        : null;

    private static (int, string)? ContactRefusal(ContactContent contact)
    {
        var card = contact.Vcard.Trim();
        return string.IsNullOrWhiteSpace(contact.DisplayName) ? Invalid("the contact card has no name")
            : !card.StartsWith("BEGIN:VCARD", StringComparison.OrdinalIgnoreCase) || !card.EndsWith("END:VCARD", StringComparison.OrdinalIgnoreCase)
                ? Invalid("the contact card is not a vCard (BEGIN:VCARD ... END:VCARD)")
            : null;
    }

    private static (int, string)? PollRefusal(PollContent poll)
    {
        if (string.IsNullOrWhiteSpace(poll.Question) || poll.Question.Length > WhatsAppLimits.PollQuestionLength)
        {
            return Invalid($"the poll's question is empty or longer than {WhatsAppLimits.PollQuestionLength} characters");
        }
        if (poll.Options.Count is < WhatsAppLimits.PollOptionsMin or > WhatsAppLimits.PollOptionsMax)
        {
            return Invalid($"a poll has {WhatsAppLimits.PollOptionsMin} to {WhatsAppLimits.PollOptionsMax} options, not {poll.Options.Count}");
        }
        if (poll.Options.Any(o => string.IsNullOrWhiteSpace(o) || o.Length > WhatsAppLimits.PollOptionLength))
        {
            return Invalid($"a poll option is empty or longer than {WhatsAppLimits.PollOptionLength} characters");
        }
        if (poll.Options.Distinct(StringComparer.Ordinal).Count() != poll.Options.Count)
        {
            return Invalid("the poll's options are not distinct");
        }
        return poll.SelectableCount < 0 || poll.SelectableCount > poll.Options.Count
            ? Invalid($"a poll lets one choose 1 to {poll.Options.Count} options, not {poll.SelectableCount}")
            : null;
    }

    private static bool IsWebAddress(string url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp);

    private static (int, string) Invalid(string reason) => (ReceiptErrorCodes.InvalidContent, reason);
}
