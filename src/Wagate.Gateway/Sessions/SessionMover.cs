using Microsoft.EntityFrameworkCore;
using Wagate.Contracts.Session.V1;
using Wagate.Core;
using Wagate.Core.Workers;
using Wagate.Data;
using Wagate.Data.Entities;
using Wagate.Gateway.Errors;

namespace Wagate.Gateway.Sessions;

/// <summary>Planned moves of sessions between workers (drain, migrate): the old worker stops
/// the session without logging out, which flushes its state; the new one starts it from that
/// state under a newer fencing token. The device stays linked: no QR code, no rescan.</summary>
public sealed class SessionMover(WagateDbContext db, ISessionRouter router)
{
    public async Task<IReadOnlyList<SessionKey>> DrainAsync(string workerName, CancellationToken cancellationToken)
    {
        if (router.Find(workerName) is null)
        {
            throw ApiErrors.NotFound(workerName);
        }
        router.MarkDraining(workerName);
        var rows = await db.Sessions.Where(s => s.Worker == workerName).ToListAsync(cancellationToken);
        var moved = new List<SessionKey>();
        foreach (var row in rows)
        {
            var target = router.Place() ?? throw ApiErrors.Unavailable(ErrorReason.NoWorker,
                $"No other worker has room; {moved.Count} of {rows.Count} sessions were moved.", TimeSpan.FromSeconds(5));
            await MoveAsync(row, target, cancellationToken);
            moved.Add(new SessionKey(row.TenantId, row.Id));
        }
        return moved;
    }

    public async Task MigrateAsync(SessionKey key, string targetName, CancellationToken cancellationToken)
    {
        var row = await db.Sessions.SingleOrDefaultAsync(s => s.TenantId == key.TenantId && s.Id == key.SessionId, cancellationToken)
            ?? throw ApiErrors.NotFound(key.Name);
        var target = router.Find(targetName) ?? throw ApiErrors.NotFound(targetName);
        if (router.IsDraining(targetName) || target.SessionCount >= target.Capacity)
        {
            throw ApiErrors.FailedPrecondition(ErrorReason.NoWorker, $"{targetName} is draining or full; choose another worker.");
        }
        if (row.Worker != targetName)
        {
            await MoveAsync(row, target, cancellationToken);
        }
    }

    private async Task MoveAsync(SessionRecord row, IWorkerClient target, CancellationToken cancellationToken)
    {
        var key = new SessionKey(row.TenantId, row.Id);
        var running = router.Find(row.Worker) is { } current && await current.GetSnapshotAsync(key, cancellationToken) is { IsTerminal: false };
        if (router.Find(row.Worker) is { } source)
        {
            await source.StopSessionAsync(key, cancellationToken);
        }
        row.Worker = target.Name;
        await db.SaveChangesAsync(cancellationToken);
        // A session waiting for a restart (logged out, replaced, failed) moves without starting.
        if (running)
        {
            await target.StartSessionAsync(key, (Engine)row.Engine, router.NextFencingToken(), cancellationToken);
        }
    }
}
