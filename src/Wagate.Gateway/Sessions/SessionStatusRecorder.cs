using System.Threading.Channels;
using Microsoft.EntityFrameworkCore;
using Wagate.Core;
using Wagate.Core.Workers;
using Wagate.Data;

namespace Wagate.Gateway.Sessions;

/// <summary>Records what workers report about sessions in the sessions table, off the
/// workers' threads: reports are queued, and a burst for one session is written once, with
/// its latest state.</summary>
public sealed class SessionStatusRecorder(IServiceScopeFactory scopes, ILogger<SessionStatusRecorder> logger)
    : BackgroundService, ISessionStatusSink
{
    private readonly Channel<(string Worker, SessionKey Session, SessionSnapshot Snapshot)> _reports =
        Channel.CreateUnbounded<(string, SessionKey, SessionSnapshot)>(new UnboundedChannelOptions { SingleReader = true });

    public void Report(string worker, SessionKey session, long fencingToken, SessionSnapshot snapshot) =>
        _reports.Writer.TryWrite((worker, session, snapshot));

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var latest = new Dictionary<SessionKey, (string Worker, SessionSnapshot Snapshot)>();
        while (await _reports.Reader.WaitToReadAsync(stoppingToken))
        {
            latest.Clear();
            while (_reports.Reader.TryRead(out var report))
            {
                latest[report.Session] = (report.Worker, report.Snapshot);
            }
            await WriteAsync(latest, stoppingToken);
        }
    }

    private async Task WriteAsync(Dictionary<SessionKey, (string Worker, SessionSnapshot Snapshot)> latest, CancellationToken cancellationToken)
    {
        if (latest.Count == 0)
        {
            return;
        }
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<WagateDbContext>();
            foreach (var (session, (worker, snapshot)) in latest)
            {
                var error = snapshot.LastError;
                await db.Sessions.Where(s => s.TenantId == session.TenantId && s.Id == session.SessionId)
                    .ExecuteUpdateAsync(set => set
                        .SetProperty(s => s.State, (int)snapshot.State)
                        .SetProperty(s => s.Worker, worker)
                        .SetProperty(s => s.PhoneNumber, snapshot.PhoneNumber)
                        .SetProperty(s => s.ErrorReason, error == null ? "" : error.Reason)
                        .SetProperty(s => s.ErrorMessage, error == null ? "" : error.Message)
                        .SetProperty(s => s.ErrorCode, error == null ? 0 : error.Code)
                        .SetProperty(s => s.ErrorTime, error == null ? null : error.Time.UtcDateTime)
                        .SetProperty(s => s.UpdateTime, snapshot.UpdateTime.UtcDateTime), cancellationToken);
            }
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            // The live state stays with the worker; the table catches up with the next report.
            logger.LogError(exception, "Recording the state of {Count} sessions failed", latest.Count);
        }
    }
}
