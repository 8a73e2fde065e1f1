namespace Wagate.Storage;

/// <summary>Sealed session state could not be opened: it was damaged, truncated, sealed for
/// another tenant, or copied from another object key. The message names the object key and never
/// any of the content.</summary>
public sealed class StateDecryptionException : Exception
{
    public StateDecryptionException(string objectKey, Exception? innerException = null)
        : base($"The session state at '{objectKey}' cannot be decrypted: it is damaged or was sealed for another tenant or object key.", innerException)
    {
        ObjectKey = objectKey;
    }

    public string ObjectKey { get; }
}
