namespace Wagate.Data;

/// <summary>Column sizes, shared with request validation so that anything the API accepts
/// fits the database and nothing is truncated or refused halfway through a write.</summary>
public static class Limits
{
    public const int IdLength = 40;
    public const int DisplayNameLength = 100;
    public const int EmailLength = 254;
    public const int ReasonLength = 500;
}
