namespace Wagate.Data;

/// <summary>Column sizes, shared with request validation so that anything the API accepts
/// fits the database and nothing is truncated or refused halfway through a write.</summary>
public static class Limits
{
    public const int IdLength = 40;
    public const int DisplayNameLength = 100;
    public const int EmailLength = 254;
    public const int ReasonLength = 500;
    public const int SessionIdLength = 63;
    /// <summary>A phone number or a WhatsApp chat id such as "120363025246125486@g.us".</summary>
    public const int ChatLength = 100;
    /// <summary>SendMessage's request_id: "1 to 128 characters".</summary>
    public const int RequestIdLength = 128;
    /// <summary>WhatsApp's own message ids are 16 to 32 characters today; room to spare.</summary>
    public const int ExternalMessageIdLength = 128;
    public const int FailureReasonLength = 100;
    public const int UrlLength = 2048;
    /// <summary>A blob key "sessions/{tenant}/{session}/{token}/{through}": the ids and two numbers.</summary>
    public const int StateSnapshotKeyLength = 200;
}
