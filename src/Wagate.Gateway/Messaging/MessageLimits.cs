namespace Wagate.Gateway.Messaging;

/// <summary>What WhatsApp accepts, so a message it would refuse is refused here, at once, with
/// the field named, instead of failing later in the queue.</summary>
public static class MessageLimits
{
    public const int TextLength = 4096;
    public const int CaptionLength = 1024;
    public const int FileNameLength = 255;
    public const int UrlLength = 2048;
    public const int RequestIdLength = 128;
    public const int PollQuestionLength = 255;
    public const int PollOptionLength = 100;
    public const int PollOptionsMin = 2;
    public const int PollOptionsMax = 12;
    public const int Mentions = 50;
    public const int VcardLength = 16 * 1024;
    public const int PlaceTextLength = 1000;
    public const int EmojiLength = 16;
    public const int MessageIdLength = 128;

    public static readonly TimeSpan LongestTyping = Worker.Messaging.SendPacing.LongestTyping;

    /// <summary>WhatsApp's own limits per media kind.</summary>
    public const long MediaBytes = 16L * 1024 * 1024;
    public const long DocumentBytes = 100L * 1024 * 1024;

    /// <summary>Media sent inline rides in the request, which the gateway caps at 4 MB, and REST
    /// carries it in base64 (a third more); anything bigger goes by URL.</summary>
    public const long InlineBytes = 2L * 1024 * 1024;
}
