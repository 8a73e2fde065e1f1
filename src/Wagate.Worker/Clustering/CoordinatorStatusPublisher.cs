using System.Threading.Channels;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Wagate.Cluster;
using Wagate.Core;
using Wagate.Core.Workers;
using Wagate.Worker.Runtime;

namespace Wagate.Worker.Clustering;

/// <summary>Publishes a cluster worker's session statuses under <see cref="ClusterKeys.Status"/>,
/// each in a transaction that compares the session's owner key with the token the session runs
/// under: a worker that lost a session (paused past its lease, replaced) publishes nothing that
/// counts. Reports are queued off the sessions' threads and a burst for one session is written
/// once, with its latest state; while the coordinator is away they wait, never lost to a newer
/// owner's word, since each write is fenced.</summary>
public sealed class CoordinatorStatusPublisher(ICoordinator coordinator, ISessionStatusSink inner, ILogger<CoordinatorStatusPublisher> logger)
    : BackgroundService, ISessionStatusSink
{
    /// <summary>Parallel commits per pass: enough to publish a thousand sessions taken over at once
    /// in about a second, few enough not to crowd etcd.</summary>
    private const int ParallelCommits = 16;

    private static readonly ReconnectBackoff RetryBackoff = new(TimeSpan.FromMilliseconds(200), TimeSpan.FromSeconds(5));

    private readonly Channel<StatusReport> _reports = Channel.CreateUnbounded<StatusReport>(new UnboundedChannelOptions { SingleReader = true });

    public void Report(string worker, SessionKey session, long fencingToken, SessionSnapshot snapshot)
    {
        inner.Report(worker, session, fencingToken, snapshot);
        _reports.Writer.TryWrite(new StatusReport(worker, session, fencingToken, snapshot));
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var pending = new Dictionary<SessionKey, StatusReport>();
        var failures = 0;
        while (pending.Count > 0 || await _reports.Reader.WaitToReadAsync(stoppingToken))
        {
            while (_reports.Reader.TryRead(out var report))
            {
                pending[report.Session] = report;
            }
            var batch = pending.Values.ToList();
            pending.Clear();
            try
            {
                await PublishAsync(batch, stoppingToken);
                failures = 0;
            }
            catch (Exception exception) when (!stoppingToken.IsCancellationRequested)
            {
                logger.LogWarning(exception, "Publishing {Count} session statuses failed; retrying", batch.Count);
                foreach (var report in batch)
                {
                    pending.TryAdd(report.Session, report); // a report read since is newer: keep it
                }
                await Task.Delay(RetryBackoff.Delay(failures++), stoppingToken);
            }
        }
    }

    private Task PublishAsync(IReadOnlyList<StatusReport> batch, CancellationToken cancellationToken) =>
        Parallel.ForEachAsync(batch, new ParallelOptions { MaxDegreeOfParallelism = ParallelCommits, CancellationToken = cancellationToken },
            async (report, cancelled) =>
            {
                var status = SessionStatusRecord.Of(report.Worker, report.Snapshot);
                var committed = await coordinator.CommitIfOwnerAsync(ClusterKeys.Owner(report.Session), report.FencingToken,
                    [new KeyWrite(ClusterKeys.Status(report.Session), status.ToBytes())], cancelled);
                if (!committed)
                {
                    logger.LogInformation("{Session} is no longer owned under token {Token}: its {State} status was not published",
                        report.Session, report.FencingToken, report.Snapshot.State);
                }
            });

    private sealed record StatusReport(string Worker, SessionKey Session, long FencingToken, SessionSnapshot Snapshot);
}
