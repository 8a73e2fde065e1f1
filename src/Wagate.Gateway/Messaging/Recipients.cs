using System.Text.RegularExpressions;
using Wagate.Gateway.Common;

namespace Wagate.Gateway.Messaging;

/// <summary>Who a message may go to: a phone number, normalised to E.164 (with "+", "00" or as
/// bare international digits, the form the Cloud API uses), or a WhatsApp chat id kept as given
/// (a person <c>15551234567@s.whatsapp.net</c>, a group <c>120363...@g.us</c>).</summary>
public static partial class Recipients
{
    public const string Expected =
        "must be a phone number with its country code (\"+15551234567\" or \"15551234567\") or a WhatsApp chat id (\"...@s.whatsapp.net\", \"...@g.us\")";

    public static bool TryNormalize(string input, out string chat)
    {
        var text = input.Trim();
        if (ChatId().IsMatch(text))
        {
            chat = text;
            return true;
        }
        var international = text.Length > 0 && char.IsAsciiDigit(text[0]) && !text.StartsWith("00", StringComparison.Ordinal) ? "+" + text : text;
        return PhoneNumbers.TryNormalize(international, out chat);
    }

    [GeneratedRegex(@"^\d{5,20}(-\d{5,20})?@(s\.whatsapp\.net|g\.us|lid|newsletter)$")]
    private static partial Regex ChatId();
}
