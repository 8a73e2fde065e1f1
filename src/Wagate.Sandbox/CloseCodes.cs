namespace Wagate.Sandbox;

/// <summary>WhatsApp's disconnect codes, as Baileys reports them.</summary>
public static class CloseCodes
{
    public const int LoggedOut = 401;
    /// <summary>Also used for "connection lost"; the reason text tells them apart.</summary>
    public const int QrAttemptsEnded = 408;
    /// <summary>The connection dropped; reconnect with backoff.</summary>
    public const int ConnectionClosed = 428;
    public const int Replaced = 440;
    public const int RestartRequired = 515;
}

/// <summary>Error codes of message receipts.</summary>
public static class ReceiptErrors
{
    /// <summary>Content WhatsApp refuses to carry: an empty text, a poll with one option, a
    /// contact card that is no vCard, media with nothing to show.</summary>
    public const int InvalidContent = 400;
    public const int NotOnWhatsApp = 404;
    /// <summary>Media past WhatsApp's upload limit.</summary>
    public const int MediaTooLarge = 413;
    public const int Restricted = 463;
    /// <summary>The recipient could not decrypt: the sender's session state is stale.</summary>
    public const int StaleState = 479;
}
