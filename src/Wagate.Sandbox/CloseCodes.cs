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
    public const int NotOnWhatsApp = 404;
    public const int Restricted = 463;
    /// <summary>The recipient could not decrypt: the sender's session state is stale.</summary>
    public const int StaleState = 479;
}
