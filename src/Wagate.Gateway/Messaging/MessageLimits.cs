using Wagate.Data;
using Wagate.WhatsApp;

namespace Wagate.Gateway.Messaging;

/// <summary>What the API accepts, so a message WhatsApp would refuse is refused here, at once,
/// with the field named, instead of failing later in the queue. WhatsApp's own limits come from
/// <see cref="WhatsAppLimits"/>; the rest are the contract's (message.proto).</summary>
public static class MessageLimits
{
    /// <summary>The contract's text limit (message.proto: 1 to 4096 characters), the Cloud API's,
    /// stricter than WhatsApp's own <see cref="WhatsAppLimits.TextLength"/>: code written for the
    /// official API keeps working here.</summary>
    public const int TextLength = 4096;
    public const int CaptionLength = WhatsAppLimits.CaptionLength;
    public const int FileNameLength = 255;
    /// <summary>What the columns hold (Wagate.Data.Limits): anything accepted fits, nothing is truncated.</summary>
    public const int UrlLength = Limits.UrlLength;
    public const int RequestIdLength = Limits.RequestIdLength;
    public const int PollQuestionLength = WhatsAppLimits.PollQuestionLength;
    public const int PollOptionLength = WhatsAppLimits.PollOptionLength;
    public const int PollOptionsMin = WhatsAppLimits.PollOptionsMin;
    public const int PollOptionsMax = WhatsAppLimits.PollOptionsMax;
    public const int Mentions = 50;
    public const int VcardLength = 16 * 1024;
    public const int PlaceTextLength = 1000;
    public const int EmojiLength = 16;
    /// <summary>A message is referred to by our id or by WhatsApp's, whose column is this wide.</summary>
    public const int MessageIdLength = Limits.ExternalMessageIdLength;

    public static readonly TimeSpan LongestTyping = WhatsAppLimits.LongestTyping;

    public const long MediaBytes = WhatsAppLimits.MediaBytes;
    public const long DocumentBytes = WhatsAppLimits.DocumentBytes;

    /// <summary>Media sent inline rides in the request, which the gateway caps at 4 MB, and REST
    /// carries it in base64 (a third more); anything bigger goes by URL.</summary>
    public const long InlineBytes = 2L * 1024 * 1024;
}
