namespace Wagate.Sandbox;

/// <summary>A phone-side request the network refuses; the API maps <see cref="Kind"/> to a
/// status code.</summary>
public sealed class SandboxException(SandboxErrorKind kind, string message) : Exception(message)
{
    public SandboxErrorKind Kind { get; } = kind;
}

public enum SandboxErrorKind
{
    NotFound,
    AlreadyExists,
    InvalidArgument,
    FailedPrecondition,
}
