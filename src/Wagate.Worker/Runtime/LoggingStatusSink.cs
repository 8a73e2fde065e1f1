using Microsoft.Extensions.Logging;
using Wagate.Core;
using Wagate.Core.Workers;

namespace Wagate.Worker.Runtime;

/// <summary>A worker process records nothing itself: its sessions' state is read live over
/// WorkerService. It logs each change, for operators.</summary>
public sealed class LoggingStatusSink(ILogger<LoggingStatusSink> logger) : ISessionStatusSink
{
    public void Report(string worker, SessionKey session, long fencingToken, SessionSnapshot snapshot) =>
        logger.LogInformation("{Session} on {Worker} is {State}{Reason}", session, worker, snapshot.State,
            snapshot.LastError is { } error ? $" ({error.Reason})" : "");
}
