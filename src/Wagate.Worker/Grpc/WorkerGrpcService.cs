using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Wagate.Contracts.Worker.V1;
using Wagate.Core;
using Wagate.Core.Workers;
using Wagate.Worker.Runtime;

namespace Wagate.Worker.Grpc;

/// <summary>WorkerService: serves a worker of this process (a <see cref="WorkerNode"/>) to
/// gateways in other processes, which reach it through <see cref="GrpcWorkerClient"/>.</summary>
public sealed class WorkerGrpcService(IWorkerClient worker) : WorkerService.WorkerServiceBase
{
    public override Task<GetWorkerResponse> GetWorker(GetWorkerRequest request, ServerCallContext context) =>
        Task.FromResult(new GetWorkerResponse { Name = worker.Name, Capacity = worker.Capacity, SessionCount = worker.SessionCount });

    public override Task<StartSessionResponse> StartSession(StartSessionRequest request, ServerCallContext context) =>
        OnSessionAsync<StartSessionResponse>(request.Name,
            session => worker.StartSessionAsync(session, request.Engine, request.FencingToken, context.CancellationToken));

    public override Task<StopSessionResponse> StopSession(StopSessionRequest request, ServerCallContext context) =>
        OnSessionAsync<StopSessionResponse>(request.Name, session => worker.StopSessionAsync(session, context.CancellationToken));

    public override Task<LogoutSessionResponse> LogoutSession(LogoutSessionRequest request, ServerCallContext context) =>
        WorkerRpcErrors.ServeAsync(async () =>
            await worker.LogoutSessionAsync(SessionKey.Parse(request.Name), context.CancellationToken) is { } last
                ? new LogoutSessionResponse { Found = true, Snapshot = last.ToProto() }
                : new LogoutSessionResponse());

    public override Task<DeleteSessionResponse> DeleteSession(DeleteSessionRequest request, ServerCallContext context) =>
        OnSessionAsync<DeleteSessionResponse>(request.Name, session => worker.DeleteSessionAsync(session, context.CancellationToken));

    public override Task<WipeSessionResponse> WipeSession(WipeSessionRequest request, ServerCallContext context) =>
        OnSessionAsync<WipeSessionResponse>(request.Name, session => worker.WipeSessionAsync(session, request.FencingToken, context.CancellationToken));

    public override Task<LogoutStoppedSessionResponse> LogoutStoppedSession(LogoutStoppedSessionRequest request, ServerCallContext context) =>
        OnSessionAsync<LogoutStoppedSessionResponse>(request.Name,
            session => worker.LogoutStoppedSessionAsync(session, request.FencingToken, context.CancellationToken));

    public override Task<DispatchMessagesResponse> DispatchMessages(DispatchMessagesRequest request, ServerCallContext context) =>
        OnSessionAsync<DispatchMessagesResponse>(request.Name, session => worker.DispatchMessagesAsync(session, context.CancellationToken));

    public override Task<GetSessionResponse> GetSession(GetSessionRequest request, ServerCallContext context) =>
        WorkerRpcErrors.ServeAsync(async () =>
            await worker.GetSnapshotAsync(SessionKey.Parse(request.Name), context.CancellationToken) is { } snapshot
                ? new GetSessionResponse { Found = true, Snapshot = snapshot.ToProto() }
                : new GetSessionResponse());

    public override Task<RequestPairingCodeResponse> RequestPairingCode(RequestPairingCodeRequest request, ServerCallContext context) =>
        WorkerRpcErrors.ServeAsync(async () =>
            await worker.RequestPairingCodeAsync(SessionKey.Parse(request.Name), request.PhoneNumber, context.CancellationToken) is { } code
                ? new RequestPairingCodeResponse
                {
                    Found = true,
                    PairingCode = code.Code,
                    ExpireTime = Timestamp.FromDateTimeOffset(code.ExpireTime),
                }
                : new RequestPairingCodeResponse());

    public override Task<MarkMessagesReadResponse> MarkMessagesRead(MarkMessagesReadRequest request, ServerCallContext context) =>
        WorkerRpcErrors.ServeAsync(async () => new MarkMessagesReadResponse
        {
            Marked = await worker.MarkReadAsync(SessionKey.Parse(request.Name), request.Chat, request.MessageIds, context.CancellationToken),
        });

    public override Task WatchSession(WatchSessionRequest request, IServerStreamWriter<WatchSessionResponse> responseStream, ServerCallContext context) =>
        WorkerRpcErrors.ServeAsync(async () =>
        {
            try
            {
                await foreach (var change in worker.WatchAsync(SessionKey.Parse(request.Name), context.CancellationToken))
                {
                    await responseStream.WriteAsync(new WatchSessionResponse { Snapshot = change.Snapshot.ToProto(), NewQrCode = change.NewQrCode },
                        context.CancellationToken);
                }
            }
            catch (OperationCanceledException) when (context.CancellationToken.IsCancellationRequested)
            {
                // The caller left: the normal end of a watch.
            }
        });

    /// <summary>Runs a command that answers nothing but success.</summary>
    private static Task<TResponse> OnSessionAsync<TResponse>(string name, Func<SessionKey, Task> command) where TResponse : new() =>
        WorkerRpcErrors.ServeAsync(async () =>
        {
            await command(SessionKey.Parse(name));
            return new TResponse();
        });
}
