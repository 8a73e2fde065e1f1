using Grpc.Core;
using Wagate.Contracts.Session.V1;
using Wagate.Core;
using Wagate.Gateway.Common;

namespace Wagate.Gateway.Sessions;

/// <summary>SessionService over gRPC, gRPC-Web and REST. Names were validated and matched to
/// the caller's tenant by the interceptors.</summary>
public sealed class SessionGrpcService(SessionDirectory sessions) : SessionService.SessionServiceBase
{
    public override async Task<CreateSessionResponse> CreateSession(CreateSessionRequest request, ServerCallContext context) =>
        new() { Session = await sessions.CreateAsync(TenantOf(request.Parent), request, context.CancellationToken) };

    public override async Task<GetSessionResponse> GetSession(GetSessionRequest request, ServerCallContext context) =>
        new() { Session = await sessions.GetAsync(KeyOf(request.Name), context.CancellationToken) };

    public override async Task<ListSessionsResponse> ListSessions(ListSessionsRequest request, ServerCallContext context)
    {
        var (page, next) = await sessions.ListAsync(TenantOf(request.Parent), request.PageSize, request.PageToken, context.CancellationToken);
        return new ListSessionsResponse { Sessions = { page }, NextPageToken = next };
    }

    public override async Task<DeleteSessionResponse> DeleteSession(DeleteSessionRequest request, ServerCallContext context)
    {
        await sessions.DeleteAsync(KeyOf(request.Name), context.CancellationToken);
        return new DeleteSessionResponse();
    }

    public override async Task<GetSessionQrCodeResponse> GetSessionQrCode(GetSessionQrCodeRequest request, ServerCallContext context) =>
        new() { QrCode = await sessions.GetQrCodeAsync(KeyOf(request.Name), context.CancellationToken) };

    public override Task<RequestPairingCodeResponse> RequestPairingCode(RequestPairingCodeRequest request, ServerCallContext context)
    {
        PhoneNumbers.TryNormalize(request.PhoneNumber, out var phone);
        return sessions.RequestPairingCodeAsync(KeyOf(request.Name), phone, context.CancellationToken);
    }

    public override async Task<LogoutSessionResponse> LogoutSession(LogoutSessionRequest request, ServerCallContext context) =>
        new() { Session = await sessions.LogoutAsync(KeyOf(request.Name), context.CancellationToken) };

    public override async Task<RestartSessionResponse> RestartSession(RestartSessionRequest request, ServerCallContext context) =>
        new() { Session = await sessions.RestartAsync(KeyOf(request.Name), context.CancellationToken) };

    public override async Task WatchSession(WatchSessionRequest request, IServerStreamWriter<WatchSessionResponse> responseStream, ServerCallContext context)
    {
        try
        {
            await foreach (var change in sessions.WatchAsync(KeyOf(request.Name), context.CancellationToken))
            {
                await responseStream.WriteAsync(change, context.CancellationToken);
            }
        }
        catch (OperationCanceledException) when (context.CancellationToken.IsCancellationRequested)
        {
            // The client left: the normal end of a watch.
        }
    }

    private static string TenantOf(string name)
    {
        ResourceNames.TryGetTenantId(name, out var tenantId);
        return tenantId;
    }

    private static SessionKey KeyOf(string name) => SessionKey.Parse(name);
}
