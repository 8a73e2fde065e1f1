using Wagate.Contracts.Session.V1;

namespace Wagate.Core;

/// <summary>What a running session looks like from outside at one moment.</summary>
public sealed record SessionSnapshot(
    Session.Types.State State,
    string PhoneNumber,
    SessionProblem? LastError,
    DateTimeOffset UpdateTime,
    QrCodeSnapshot? QrCode)
{
    /// <summary>States a session does not leave by itself: it waits for a restart.</summary>
    public bool IsTerminal => WaitsForRestart(State);

    /// <inheritdoc cref="IsTerminal"/>
    public static bool WaitsForRestart(Session.Types.State state) =>
        state is Session.Types.State.Disconnected or Session.Types.State.LoggedOut or Session.Types.State.Failed;

    /// <summary>The states <see cref="WaitsForRestart"/> names, for queries.</summary>
    public static readonly Session.Types.State[] RestartStates =
        [Session.Types.State.Disconnected, Session.Types.State.LoggedOut, Session.Types.State.Failed];
}

public sealed record QrCodeSnapshot(string Code, DateTimeOffset ExpireTime, int Sequence);

/// <summary>Why a session stopped or failed (SessionError in the API).</summary>
public sealed record SessionProblem(string Reason, string Message, int Code, DateTimeOffset Time)
{
    public const string QrAttemptsExhausted = "QR_ATTEMPTS_EXHAUSTED";
    public const string Replaced = "REPLACED";
    public const string LoggedOut = "LOGGED_OUT";
    public const string StateCorrupted = "STATE_CORRUPTED";
    public const string ConnectionLost = "CONNECTION_LOST";
    public const string StateWriteFailed = "STATE_WRITE_FAILED";
    public const string OwnershipLost = "OWNERSHIP_LOST";
    public const string Restricted = "RESTRICTED";
    public const string Stopped = "STOPPED";

    /// <summary>What a session logged out at the user's request says.</summary>
    public const string LogoutMessage = "Logged out.";

    /// <summary>The problem of a session logged out at the user's request at <paramref name="time"/>.</summary>
    public static SessionProblem LogoutAt(DateTimeOffset time) => new(LoggedOut, LogoutMessage, 0, time);
}

/// <summary>A change a watcher sees: a new snapshot, flagged when it carries a new QR code.</summary>
public sealed record SessionChange(SessionSnapshot Snapshot, bool NewQrCode);

/// <summary>A pairing code the engine issued, to type on the phone instead of scanning the QR code.</summary>
public sealed record PairingCode(string Code, DateTimeOffset ExpireTime);
