using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Microsoft.EntityFrameworkCore;
using Wagate.Contracts.Admin.V1;
using Wagate.Data;
using Wagate.Gateway.Sessions;
using Wagate.Worker.Runtime;
using SessionState = Wagate.Contracts.Session.V1.Session.Types.State;

namespace Wagate.Gateway.Admin;

/// <summary>AdminService: workers, planned session moves, platform counts. The access
/// interceptor has already refused everyone but platform administrators.</summary>
public sealed class AdminGrpcService(ISessionRouter router, SessionMover mover, SessionDirectory sessions, WagateDbContext db, TimeProvider clock)
    : AdminService.AdminServiceBase
{
    public override Task<ListWorkersResponse> ListWorkers(ListWorkersRequest request, ServerCallContext context) =>
        Task.FromResult(new ListWorkersResponse { Workers = { router.Describe().OrderBy(w => w.Name, StringComparer.Ordinal).Select(ToProto) } });

    public override async Task<DrainWorkerResponse> DrainWorker(DrainWorkerRequest request, ServerCallContext context)
    {
        var moved = await mover.DrainAsync(request.Name, context.CancellationToken);
        return new DrainWorkerResponse
        {
            Worker = ToProto(router.Describe().Single(w => w.Name == request.Name)),
            MovedSessions = { moved.Select(k => k.Name) },
        };
    }

    public override async Task<MigrateSessionResponse> MigrateSession(MigrateSessionRequest request, ServerCallContext context)
    {
        var key = SessionKey.Parse(request.Name);
        await mover.MigrateAsync(key, request.TargetWorker, context.CancellationToken);
        return new MigrateSessionResponse { Session = await sessions.GetAsync(key, context.CancellationToken) };
    }

    public override async Task<GetStatsResponse> GetStats(GetStatsRequest request, ServerCallContext context) => new()
    {
        Stats = new Stats
        {
            TenantCount = await db.Tenants.CountAsync(context.CancellationToken),
            SessionCount = await db.Sessions.CountAsync(context.CancellationToken),
            ConnectedSessionCount = await db.Sessions.CountAsync(s => s.State == (int)SessionState.Connected, context.CancellationToken),
            WorkerCount = router.Workers.Count,
            ReadTime = Timestamp.FromDateTimeOffset(clock.GetUtcNow()),
        },
    };

    private static Contracts.Admin.V1.Worker ToProto(WorkerInfo worker) => new()
    {
        Name = worker.Name,
        Address = worker.Address,
        State = worker.Draining ? Contracts.Admin.V1.Worker.Types.State.Draining : Contracts.Admin.V1.Worker.Types.State.Ready,
        SessionCount = worker.SessionCount,
        Capacity = worker.Capacity,
        ProcessId = worker.ProcessId,
        LastHeartbeatTime = Timestamp.FromDateTimeOffset(worker.LastHeartbeat),
    };
}
