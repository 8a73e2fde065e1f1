namespace Wagate.Data.Messages;

/// <summary>A ListMessages filter that does not parse. <see cref="Exception.Message"/> names the
/// bad part and says what would do, in words fit for the API's caller.</summary>
public sealed class MessageFilterException : FormatException
{
    public MessageFilterException()
    {
    }

    public MessageFilterException(string message) : base(message)
    {
    }

    public MessageFilterException(string message, Exception innerException) : base(message, innerException)
    {
    }
}
