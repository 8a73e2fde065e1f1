namespace Wagate.WhatsApp;

/// <summary>What WhatsApp carries: past these, its clients refuse to build the message or its
/// servers refuse to take the upload.</summary>
public static class WhatsAppLimits
{
    /// <summary>Characters in a text message: WhatsApp's clients (and WhatsApp Web, whose protocol
    /// Baileys speaks) cut a text at 65,536. The public API is stricter; see message.proto.</summary>
    public const int TextLength = 65_536;

    /// <summary>Characters in a media caption: WhatsApp's clients stop at 1,024.</summary>
    public const int CaptionLength = 1024;

    /// <summary>Bytes of a picture, voice note, audio or video: 16 MB, WhatsApp's upload limit for
    /// media (the Cloud API documents the same for business accounts).</summary>
    public const long MediaBytes = 16L * 1024 * 1024;

    /// <summary>Bytes of a document: 100 MB, WhatsApp's upload limit for documents.</summary>
    public const long DocumentBytes = 100L * 1024 * 1024;

    /// <summary>Characters in a poll's question and in each option: WhatsApp's poll editor stops at
    /// 255 and 100.</summary>
    public const int PollQuestionLength = 255;

    public const int PollOptionLength = 100;

    /// <summary>Options of a poll: WhatsApp wants at least 2 and offers at most 12.</summary>
    public const int PollOptionsMin = 2;

    public const int PollOptionsMax = 12;

    /// <summary>How long a chat shows "typing..." after the last presence update: WhatsApp drops it
    /// after about 25 s (Baileys' presence docs; seen on phones).</summary>
    public static readonly TimeSpan LongestTyping = TimeSpan.FromSeconds(25);
}
