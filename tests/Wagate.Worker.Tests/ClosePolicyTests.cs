using Wagate.Core;
using Wagate.Engines;
using Wagate.Worker.Runtime;
using Xunit;
using SessionState = Wagate.Contracts.Session.V1.Session.Types.State;

namespace Wagate.Worker.Tests;

/// <summary>The whole table of what a session does after its connection closed.</summary>
public sealed class ClosePolicyTests
{
    public static TheoryData<CloseReason, bool, CloseAction, SessionState?, string> Table => new()
    {
        { CloseReason.RestartRequired, false, CloseAction.ReconnectNow, null, "" },
        { CloseReason.ConnectionLost, false, CloseAction.ReconnectAfterBackoff, SessionState.Connecting, SessionProblem.ConnectionLost },
        { CloseReason.ConnectionLost, true, CloseAction.ReconnectAfterBackoff, SessionState.Connecting, SessionProblem.ConnectionLost },
        { CloseReason.LoggedOut, false, CloseAction.WipeAndStop, SessionState.LoggedOut, SessionProblem.LoggedOut },
        { CloseReason.LoggedOut, true, CloseAction.WipeAndStop, SessionState.LoggedOut, SessionProblem.LoggedOut },
        { CloseReason.Replaced, false, CloseAction.Stop, SessionState.Disconnected, SessionProblem.Replaced },
        { CloseReason.QrCodesEnded, false, CloseAction.Stop, SessionState.Disconnected, SessionProblem.QrAttemptsExhausted },
    };

    [Theory]
    [MemberData(nameof(Table))]
    public void A_closed_connection_leads_to_one_action_and_state(CloseReason reason, bool logoutRequested, CloseAction action, SessionState? state, string problem)
    {
        var decision = ClosePolicy.Decide(new EngineEvent.Closed(reason, 0, "bye"), logoutRequested);

        Assert.Equal((action, state, problem), (decision.Action, decision.State, decision.ProblemReason));
    }

    [Fact]
    public void Every_close_reason_has_a_rule()
    {
        var covered = Table.Select(row => (CloseReason)row[0]).ToHashSet();
        Assert.All(Enum.GetValues<CloseReason>(), reason => Assert.Contains(reason, covered));
    }

    [Theory]
    [InlineData(true, "Logged out.")]
    [InlineData(false, "The device was unlinked from the phone.")]
    public void A_logout_says_whether_we_asked_for_it_or_the_phone_unlinked_us(bool logoutRequested, string message) =>
        Assert.Equal(message, ClosePolicy.Decide(new EngineEvent.Closed(CloseReason.LoggedOut, 401, "logged out"), logoutRequested).ProblemMessage);

    [Fact]
    public void A_lost_connection_shows_what_the_network_said() =>
        Assert.Equal("Connection closed: stream reset", ClosePolicy.Decide(new EngineEvent.Closed(CloseReason.ConnectionLost, 428, "stream reset"), false).ProblemMessage);
}
