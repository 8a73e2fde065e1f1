using Wagate.Core;
using Wagate.Core.Workers;
using Wagate.Worker.Runtime;

namespace Wagate.Worker.Tests;

/// <summary>The worker's status reports go to the gateway's recorder, which is not part of the
/// worker port these tests cover.</summary>
internal sealed class DiscardedStatus : ISessionStatusSink
{
    public void Report(string worker, SessionKey session, long fencingToken, SessionSnapshot snapshot)
    {
    }
}
