namespace Wagate.Sandbox;

/// <summary>A phone-side request the network refuses, or could not be asked (see
/// <see cref="SandboxErrorKind.Unavailable"/>); the API maps <see cref="Kind"/> to a status code.</summary>
public sealed class SandboxException(SandboxErrorKind kind, string message, Exception? innerException = null)
    : Exception(message, innerException)
{
    public SandboxErrorKind Kind { get; } = kind;
}

public enum SandboxErrorKind
{
    NotFound,
    AlreadyExists,
    InvalidArgument,
    FailedPrecondition,
    /// <summary>The network runs in another process that cannot be reached right now; the
    /// request may be retried. The network itself never refuses with it.</summary>
    Unavailable,
}
