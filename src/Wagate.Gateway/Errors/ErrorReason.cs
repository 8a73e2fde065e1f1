namespace Wagate.Gateway.Errors;

/// <summary>The machine-readable reasons put in every error's <c>google.rpc.ErrorInfo</c>.
/// Clients switch on these, so a value once published never changes meaning.</summary>
public static class ErrorReason
{
    public const string Domain = "wagate.dev";

    public const string InvalidArgument = "INVALID_ARGUMENT";
    public const string CredentialsMissing = "CREDENTIALS_MISSING";
    public const string CredentialsInvalid = "CREDENTIALS_INVALID";
    public const string TokenExpired = "TOKEN_EXPIRED";
    public const string LoginFailed = "LOGIN_FAILED";
    public const string LoginThrottled = "LOGIN_THROTTLED";
    public const string TenantSuspended = "TENANT_SUSPENDED";
    public const string ScopeMissing = "SCOPE_MISSING";
    public const string RoleMissing = "ROLE_MISSING";
    public const string AdminOnly = "PLATFORM_ADMIN_ONLY";
    public const string NotFound = "NOT_FOUND";
    public const string UnknownPath = "UNKNOWN_PATH";
    public const string EmailTaken = "EMAIL_TAKEN";
    public const string QuotaExceeded = "QUOTA_EXCEEDED";
    public const string NoWorker = "NO_WORKER_AVAILABLE";
    /// <summary>A drain or migration was ordered and goes on, but had not finished when the call
    /// stopped waiting; calling again waits for it again.</summary>
    public const string MovePending = "MOVE_PENDING";
    public const string RateLimited = "RATE_LIMITED";
    public const string SessionState = "SESSION_STATE";
    public const string SessionExists = "SESSION_EXISTS";
    public const string SandboxRefused = "SANDBOX_REFUSED";
    /// <summary>The sandbox network process of a cluster cannot be reached; retry.</summary>
    public const string SandboxUnavailable = "SANDBOX_UNAVAILABLE";
    /// <summary>The call applies to received messages only (marking one read).</summary>
    public const string NotReceived = "MESSAGE_NOT_RECEIVED";
    /// <summary>Media sent inline could not be stored, so the message was not accepted.</summary>
    public const string MediaStoreUnavailable = "MEDIA_STORE_UNAVAILABLE";
    public const string Internal = "INTERNAL";
}
