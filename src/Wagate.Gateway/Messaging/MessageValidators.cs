using Wagate.Contracts.Message.V1;
using Wagate.Core;
using Wagate.Gateway.Common;
using Wagate.Gateway.Validation;

namespace Wagate.Gateway.Messaging;

internal sealed class SendMessageValidator : IRequestValidator<SendMessageRequest>
{

    public void Validate(SendMessageRequest request, Violations violations)
    {
        violations.Name("parent", request.Parent, ResourceNames.SessionPattern);
        if (string.IsNullOrWhiteSpace(request.To))
        {
            violations.Add("to", "is required");
        }
        else if (!Recipients.TryNormalize(request.To, out _))
        {
            violations.Add("to", Recipients.Expected);
        }
        if (request.RequestId.Length > MessageLimits.RequestIdLength || request.RequestId.Any(c => c is < '!' or > '~'))
        {
            violations.Add("requestId", $"must be at most {MessageLimits.RequestIdLength} printable ASCII characters without spaces");
        }
        var text = "";
        switch (request.KindCase)
        {
            case SendMessageRequest.KindOneofCase.None:
                violations.Add("text", "a message needs content: exactly one of text, image, video, audio, document, location, contact, reaction or poll");
                break;
            case SendMessageRequest.KindOneofCase.Text:
                violations.Text("text.body", request.Text.Body, MessageLimits.TextLength, required: true);
                text = request.Text.Body;
                break;
            case SendMessageRequest.KindOneofCase.Image:
                Media("image", request.Image, MessageLimits.MediaBytes, violations);
                text = request.Image.Caption;
                break;
            case SendMessageRequest.KindOneofCase.Video:
                Media("video", request.Video, MessageLimits.MediaBytes, violations);
                text = request.Video.Caption;
                break;
            case SendMessageRequest.KindOneofCase.Audio:
                Media("audio", request.Audio, MessageLimits.MediaBytes, violations);
                if (request.Audio.Caption.Length > 0)
                {
                    violations.Add("audio.caption", "audio has no caption");
                }
                break;
            case SendMessageRequest.KindOneofCase.Document:
                Media("document", request.Document, MessageLimits.DocumentBytes, violations);
                text = request.Document.Caption;
                break;
            case SendMessageRequest.KindOneofCase.Location:
                Location(request.Location, violations);
                break;
            case SendMessageRequest.KindOneofCase.Contact:
                violations.Text("contact.displayName", request.Contact.DisplayName, Data.Limits.DisplayNameLength);
                var card = request.Contact.Vcard.Trim();
                if (!card.StartsWith("BEGIN:VCARD", StringComparison.OrdinalIgnoreCase) || !card.EndsWith("END:VCARD", StringComparison.OrdinalIgnoreCase))
                {
                    violations.Add("contact.vcard", "must be a vCard: BEGIN:VCARD ... END:VCARD");
                }
                else if (card.Length > MessageLimits.VcardLength)
                {
                    violations.Add("contact.vcard", $"must be at most {MessageLimits.VcardLength} characters");
                }
                break;
            case SendMessageRequest.KindOneofCase.Reaction:
                MessageId("reaction.messageId", request.Reaction.MessageId, request.Parent, violations);
                violations.Emoji("reaction.emoji", request.Reaction.Emoji);
                break;
            case SendMessageRequest.KindOneofCase.Poll:
                Poll(request.Poll, violations);
                text = request.Poll.Question;
                break;
        }
        if (request.ReplyTo.Length > 0)
        {
            SameSession("replyTo", request.ReplyTo, request.Parent, violations);
        }
        if (request.Typing is { } typing && (typing.Seconds < 0 || typing.Nanos < 0 || typing.ToTimeSpan() > MessageLimits.LongestTyping))
        {
            violations.Add("typing", $"must be between 0 and {MessageLimits.LongestTyping.TotalSeconds} seconds");
        }
        Mentions(request, text, violations);
    }

    private static void Media(string field, MediaContent media, long maxBytes, Violations violations)
    {
        switch (media.SourceCase)
        {
            case MediaContent.SourceOneofCase.Url:
                if (media.Url.Length > MessageLimits.UrlLength || !Uri.TryCreate(media.Url, UriKind.Absolute, out var url) || url.Scheme is not ("https" or "http"))
                {
                    violations.Add($"{field}.url", $"must be an http or https URL of at most {MessageLimits.UrlLength} characters");
                }
                break;
            case MediaContent.SourceOneofCase.Data:
                if (media.Data.Length == 0)
                {
                    violations.Add($"{field}.data", "is empty");
                }
                else if (media.Data.Length > Math.Min(maxBytes, MessageLimits.InlineBytes))
                {
                    violations.Add($"{field}.data", $"is {media.Data.Length} bytes; inline media is at most {MessageLimits.InlineBytes / (1024 * 1024)} MB, send larger media by url (WhatsApp takes up to {maxBytes / (1024 * 1024)} MB)");
                }
                break;
            default:
                violations.Add($"{field}.url", "the media is required: give its url or its data");
                break;
        }
        violations.Text($"{field}.caption", media.Caption, MessageLimits.CaptionLength, required: false);
        violations.Text($"{field}.fileName", media.FileName, MessageLimits.FileNameLength, required: false);
        if (media.MimeType.Length > 0 && (media.MimeType.Length > 127 || media.MimeType.Count(c => c == '/') != 1 || media.MimeType.Any(char.IsWhiteSpace)))
        {
            violations.Add($"{field}.mimeType", "must be a MIME type such as image/jpeg");
        }
        if (media.VoiceNote && field != "audio")
        {
            violations.Add($"{field}.voiceNote", "only audio can be a voice note");
        }
        if (media.SizeBytes != 0 || media.Sha256.Length > 0)
        {
            violations.Add($"{field}.sizeBytes", "sizeBytes and sha256 are set by the server and must be empty");
        }
    }

    private static void Location(LocationContent location, Violations violations)
    {
        if (double.IsNaN(location.Latitude) || location.Latitude is < -90 or > 90)
        {
            violations.Add("location.latitude", "must be between -90 and 90");
        }
        if (double.IsNaN(location.Longitude) || location.Longitude is < -180 or > 180)
        {
            violations.Add("location.longitude", "must be between -180 and 180");
        }
        violations.Text("location.name", location.Name, MessageLimits.PlaceTextLength, required: false);
        violations.Text("location.address", location.Address, MessageLimits.PlaceTextLength, required: false);
    }

    private static void Poll(PollContent poll, Violations violations)
    {
        violations.Text("poll.question", poll.Question, MessageLimits.PollQuestionLength);
        if (poll.Options.Count is < MessageLimits.PollOptionsMin or > MessageLimits.PollOptionsMax)
        {
            violations.Add("poll.options", $"must have {MessageLimits.PollOptionsMin} to {MessageLimits.PollOptionsMax} options (got {poll.Options.Count})");
        }
        else if (poll.Options.Distinct(StringComparer.Ordinal).Count() != poll.Options.Count)
        {
            violations.Add("poll.options", "must be distinct");
        }
        for (var i = 0; i < poll.Options.Count; i++)
        {
            violations.Text($"poll.options[{i}]", poll.Options[i], MessageLimits.PollOptionLength);
        }
        if (poll.SelectableCount < 0 || poll.SelectableCount > poll.Options.Count)
        {
            violations.Add("poll.selectableCount", $"must be between 0 and the number of options ({poll.Options.Count})");
        }
    }

    /// <summary>Replies and reactions refer to a message of the same session.</summary>
    private static void SameSession(string field, string name, string parent, Violations violations)
    {
        if (!ResourceNames.TryMatch(name, ResourceNames.MessagePattern, out _))
        {
            violations.Add(field, "must be a message name, tenants/{tenant}/sessions/{session}/messages/{message}");
        }
        else if (!name.StartsWith(parent + "/messages/", StringComparison.Ordinal))
        {
            violations.Add(field, "must be a message of the same session");
        }
    }

    /// <summary>A message of the same session by id, or by its full name.</summary>
    private static void MessageId(string field, string id, string parent, Violations violations)
    {
        if (id.Contains('/', StringComparison.Ordinal))
        {
            SameSession(field, id, parent, violations);
        }
        else
        {
            violations.MessageId(field, id, "a message of this session, or its name");
        }
    }

    /// <summary>WhatsApp shows a mention only where the text says "@" and the digits.</summary>
    private static void Mentions(SendMessageRequest request, string text, Violations violations)
    {
        if (request.Mentions.Count > MessageLimits.Mentions)
        {
            violations.Add("mentions", $"at most {MessageLimits.Mentions}");
            return;
        }
        for (var i = 0; i < request.Mentions.Count; i++)
        {
            if (!PhoneNumbers.TryNormalize(request.Mentions[i], out var number))
            {
                violations.Add($"mentions[{i}]", PhoneNumbers.Expected);
            }
            else if (!text.Contains("@" + number[1..], StringComparison.Ordinal))
            {
                violations.Add($"mentions[{i}]", $"the text must mention it as @{number[1..]}");
            }
        }
    }
}

internal sealed class GetMessageValidator : IRequestValidator<GetMessageRequest>
{
    public void Validate(GetMessageRequest request, Violations violations) =>
        violations.Name("name", request.Name, ResourceNames.MessagePattern);
}

internal sealed class MarkMessageReadValidator : IRequestValidator<MarkMessageReadRequest>
{
    public void Validate(MarkMessageReadRequest request, Violations violations) =>
        violations.Name("name", request.Name, ResourceNames.MessagePattern);
}

internal sealed class ListMessagesValidator : IRequestValidator<ListMessagesRequest>
{
    public void Validate(ListMessagesRequest request, Violations violations) =>
        violations.Name("parent", request.Parent, ResourceNames.SessionPattern).PageSize("pageSize", request.PageSize);
}

internal sealed class StreamEventsValidator : IRequestValidator<StreamEventsRequest>
{
    public void Validate(StreamEventsRequest request, Violations violations)
    {
        violations.Name("parent", request.Parent, "tenants/*");
        if (request.StartAfter.Length > 0 && !long.TryParse(request.StartAfter, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out _))
        {
            violations.Add("startAfter", "must be the cursor of an event received before");
        }
        for (var i = 0; i < request.EventTypes.Count; i++)
        {
            if (request.EventTypes[i] == EventType.Unspecified || !Enum.IsDefined(request.EventTypes[i]))
            {
                violations.Add($"eventTypes[{i}]", "is not an event type");
            }
        }
        for (var i = 0; i < request.Sessions.Count; i++)
        {
            if (!ResourceNames.TryMatch(request.Sessions[i], ResourceNames.SessionPattern, out _) || !request.Sessions[i].StartsWith(request.Parent + "/", StringComparison.Ordinal))
            {
                violations.Add($"sessions[{i}]", "must be a session of this tenant, tenants/{tenant}/sessions/{session}");
            }
        }
    }
}
