using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Wagate.Contracts.Admin.V1;
using Wagate.Core;
using Wagate.Data.Sessions;
using Wagate.Data.Tenants;
using Wagate.Gateway.Sessions;

namespace Wagate.Gateway.Admin;

/// <summary>AdminService: workers, planned session moves, platform counts. The access
/// interceptor has already refused everyone but platform administrators.</summary>
public sealed class AdminGrpcService(
    IWorkerAdministration workers, SessionDirectory sessions, TenantStore tenantStore, GatewaySessionStore sessionStore, TimeProvider clock)
    : AdminService.AdminServiceBase
{
    public override async Task<ListWorkersResponse> ListWorkers(ListWorkersRequest request, ServerCallContext context) =>
        new() { Workers = { (await workers.ListAsync(context.CancellationToken)).OrderBy(w => w.Name, StringComparer.Ordinal).Select(ToProto) } };

    public override async Task<DrainWorkerResponse> DrainWorker(DrainWorkerRequest request, ServerCallContext context)
    {
        var moved = await workers.DrainAsync(request.Name, context.CancellationToken);
        var response = new DrainWorkerResponse { MovedSessions = { moved.Select(k => k.Name) } };
        // The worker may have stopped right after its sessions left; then there is nothing to show.
        if ((await workers.ListAsync(context.CancellationToken)).FirstOrDefault(w => w.Name == request.Name) is { } drained)
        {
            response.Worker = ToProto(drained);
        }
        return response;
    }

    public override async Task<MigrateSessionResponse> MigrateSession(MigrateSessionRequest request, ServerCallContext context)
    {
        var key = SessionKey.Parse(request.Name);
        await workers.MigrateAsync(key, request.TargetWorker, context.CancellationToken);
        return new MigrateSessionResponse { Session = await sessions.GetAsync(key, context.CancellationToken) };
    }

    public override async Task<GetStatsResponse> GetStats(GetStatsRequest request, ServerCallContext context) => new()
    {
        Stats = new Stats
        {
            TenantCount = await tenantStore.CountAllAsync(context.CancellationToken),
            SessionCount = await sessionStore.CountAllAsync(context.CancellationToken),
            ConnectedSessionCount = await workers.CountConnectedSessionsAsync(context.CancellationToken),
            WorkerCount = (await workers.ListAsync(context.CancellationToken)).Count,
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
