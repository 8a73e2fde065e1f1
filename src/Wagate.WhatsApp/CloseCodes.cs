namespace Wagate.WhatsApp;

/// <summary>WhatsApp's disconnect codes, as Baileys reports them in
/// <c>lastDisconnect.error.output.statusCode</c> (its <c>DisconnectReason</c> enum).</summary>
public static class CloseCodes
{
    /// <summary>The device was unlinked (logged out from the phone, or by us): its credentials
    /// are dead and must be wiped.</summary>
    public const int LoggedOut = 401;

    /// <summary>WhatsApp Web's version is too old for the server ("Connection Failure").</summary>
    public const int BadVersion = 405;

    /// <summary>Three things share it: the QR references ran out, the keep-alive was lost (35 to
    /// 65 s of silence), or there is no route (within milliseconds). Engines tell them apart.</summary>
    public const int TimedOut = 408;

    /// <summary>The connection dropped; reconnect with backoff.</summary>
    public const int ConnectionClosed = 428;

    /// <summary>Another connection of the same device took over ("conflict"): never reconnect,
    /// the session's ownership is lost.</summary>
    public const int Replaced = 440;

    /// <summary>Sent right after pairing: reconnect at once with the new credentials.</summary>
    public const int RestartRequired = 515;
}

/// <summary>Error codes of message receipts and server acks (Baileys: an ERROR status with the
/// ack's error attribute).</summary>
public static class ReceiptErrorCodes
{
    /// <summary>Content WhatsApp refuses to carry: an empty text, a poll with one option, a
    /// contact card that is no vCard, media with nothing to show.</summary>
    public const int InvalidContent = 400;

    /// <summary>The recipient is not on WhatsApp.</summary>
    public const int NotOnWhatsApp = 404;

    /// <summary>Media past the upload limits (<see cref="WhatsAppLimits.MediaBytes"/>).</summary>
    public const int MediaTooLarge = 413;

    /// <summary>The account is restricted from messaging new contacts (anti-spam): surface it,
    /// never retry blindly.</summary>
    public const int Restricted = 463;

    /// <summary>The recipient could not decrypt: the sender's stored session state is stale.</summary>
    public const int StaleState = 479;
}
