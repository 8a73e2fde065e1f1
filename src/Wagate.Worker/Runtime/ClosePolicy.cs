using Wagate.Core;
using Wagate.Engines;
using SessionStateEnum = Wagate.Contracts.Session.V1.Session.Types.State;

namespace Wagate.Worker.Runtime;

/// <summary>What the session does after its connection closed: a pure function of why it closed
/// (the engine's typed <see cref="CloseReason"/>) and whether a logout was asked for, so every
/// rule is in one table and tested as one.</summary>
public static class ClosePolicy
{
    public static CloseDecision Decide(EngineEvent.Closed closed, bool logoutRequested)
    {
        ArgumentNullException.ThrowIfNull(closed);
        return closed.Reason switch
        {
            // After pairing: the new credentials are stored; connect with them at once.
            CloseReason.RestartRequired => new CloseDecision(CloseAction.ReconnectNow),
            CloseReason.LoggedOut => new CloseDecision(CloseAction.WipeAndStop, SessionStateEnum.LoggedOut, SessionProblem.LoggedOut,
                logoutRequested ? SessionProblem.LogoutMessage : "The device was unlinked from the phone."),
            // Coming back would replace the other connection in turn: two owners fighting.
            CloseReason.Replaced => new CloseDecision(CloseAction.Stop, SessionStateEnum.Disconnected, SessionProblem.Replaced,
                "Another connection of this device took over; not reconnecting."),
            CloseReason.QrCodesEnded => new CloseDecision(CloseAction.Stop, SessionStateEnum.Disconnected, SessionProblem.QrAttemptsExhausted,
                "No QR code was scanned in time; restart the session to get new ones."),
            _ => new CloseDecision(CloseAction.ReconnectAfterBackoff, SessionStateEnum.Connecting, SessionProblem.ConnectionLost,
                $"Connection closed: {closed.Message}"),
        };
    }
}

/// <summary>What follows a closed connection, and the state and problem to show meanwhile
/// (<see cref="State"/> null: show nothing new).</summary>
public sealed record CloseDecision(CloseAction Action, SessionStateEnum? State = null, string ProblemReason = "", string ProblemMessage = "");

public enum CloseAction
{
    /// <summary>Connect again right away.</summary>
    ReconnectNow,

    /// <summary>Connect again after the backoff of the attempt.</summary>
    ReconnectAfterBackoff,

    /// <summary>Stop and wait for a restart; the credentials stay.</summary>
    Stop,

    /// <summary>The credentials are dead: wipe them, fail what is queued, and wait for a restart.</summary>
    WipeAndStop,
}
