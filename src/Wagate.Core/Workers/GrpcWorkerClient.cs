using System.Runtime.CompilerServices;
using Grpc.Net.Client;
using Wagate.Contracts.Worker.V1;
using Wagate.Core;
using Engine = Wagate.Contracts.Session.V1.Engine;
using SessionSnapshot = Wagate.Core.SessionSnapshot;

namespace Wagate.Core.Workers;

/// <summary>A worker in another process, reached through its WorkerService. A session the
/// worker does not run reads as null or an empty watch, as with a <see cref="WorkerNode"/>;
/// the worker's own refusals arrive as the exceptions it threw (see WorkerRpcErrors), and
/// an unreachable worker as an <see cref="Grpc.Core.RpcException"/>.</summary>
/// <remarks><see cref="SessionCount"/> and <see cref="Capacity"/> are read synchronously by
/// placement, so they are what the last <see cref="RefreshAsync"/> found (0 before the first):
/// the placement caller refreshes its workers before it places a session.</remarks>
public sealed class GrpcWorkerClient(string name, GrpcChannel channel) : IWorkerClient
{
    private readonly WorkerService.WorkerServiceClient _client = new(channel);
    private Load _load = new(0, 0);

    private sealed record Load(int Capacity, int SessionCount);

    public string Name => name;

    public int SessionCount => Volatile.Read(ref _load).SessionCount;

    public int Capacity => Volatile.Read(ref _load).Capacity;

    /// <summary>Reads the worker's capacity and session count for <see cref="Capacity"/> and
    /// <see cref="SessionCount"/>.</summary>
    /// <exception cref="InvalidOperationException">Another worker answers at this address.</exception>
    public Task RefreshAsync(CancellationToken cancellationToken = default) =>
        WorkerRpcErrors.CallAsync(async () =>
        {
            var worker = await _client.GetWorkerAsync(new GetWorkerRequest(), cancellationToken: cancellationToken);
            if (worker.Name != name)
            {
                // A stale registration: counting another worker's load as this one's would misplace sessions.
                throw new InvalidOperationException($"{worker.Name} answers at the address of {name}.");
            }
            Volatile.Write(ref _load, new Load(worker.Capacity, worker.SessionCount));
        }, cancellationToken);

    public Task StartSessionAsync(SessionKey session, Engine engine, long fencingToken, CancellationToken cancellationToken = default) =>
        WorkerRpcErrors.CallAsync(() => _client.StartSessionAsync(
            new StartSessionRequest { Name = session.Name, Engine = engine, FencingToken = fencingToken }, cancellationToken: cancellationToken).ResponseAsync,
            cancellationToken);

    public Task StopSessionAsync(SessionKey session, CancellationToken cancellationToken = default) =>
        WorkerRpcErrors.CallAsync(() => _client.StopSessionAsync(
            new StopSessionRequest { Name = session.Name }, cancellationToken: cancellationToken).ResponseAsync, cancellationToken);

    public Task DispatchMessagesAsync(SessionKey session, CancellationToken cancellationToken = default) =>
        WorkerRpcErrors.CallAsync(() => _client.DispatchMessagesAsync(
            new DispatchMessagesRequest { Name = session.Name }, cancellationToken: cancellationToken).ResponseAsync, cancellationToken);

    public Task<SessionSnapshot?> LogoutSessionAsync(SessionKey session, CancellationToken cancellationToken = default) =>
        WorkerRpcErrors.CallAsync<SessionSnapshot?>(async () =>
        {
            var response = await _client.LogoutSessionAsync(new LogoutSessionRequest { Name = session.Name }, cancellationToken: cancellationToken);
            return response.Found ? response.Snapshot.ToSnapshot() : null;
        }, cancellationToken);

    public Task DeleteSessionAsync(SessionKey session, CancellationToken cancellationToken = default) =>
        WorkerRpcErrors.CallAsync(() => _client.DeleteSessionAsync(
            new DeleteSessionRequest { Name = session.Name }, cancellationToken: cancellationToken).ResponseAsync, cancellationToken);

    public Task WipeSessionAsync(SessionKey session, long fencingToken, CancellationToken cancellationToken = default) =>
        WorkerRpcErrors.CallAsync(() => _client.WipeSessionAsync(
            new WipeSessionRequest { Name = session.Name, FencingToken = fencingToken }, cancellationToken: cancellationToken).ResponseAsync, cancellationToken);

    public Task LogoutStoppedSessionAsync(SessionKey session, long fencingToken, CancellationToken cancellationToken = default) =>
        WorkerRpcErrors.CallAsync(() => _client.LogoutStoppedSessionAsync(
            new LogoutStoppedSessionRequest { Name = session.Name, FencingToken = fencingToken }, cancellationToken: cancellationToken).ResponseAsync, cancellationToken);

    public Task<SessionSnapshot?> GetSnapshotAsync(SessionKey session, CancellationToken cancellationToken = default) =>
        WorkerRpcErrors.CallAsync<SessionSnapshot?>(async () =>
        {
            var response = await _client.GetSessionAsync(new GetSessionRequest { Name = session.Name }, cancellationToken: cancellationToken);
            return response.Found ? response.Snapshot.ToSnapshot() : null;
        }, cancellationToken);

    public Task<PairingCode?> RequestPairingCodeAsync(SessionKey session, string phoneNumber, CancellationToken cancellationToken = default) =>
        WorkerRpcErrors.CallAsync<PairingCode?>(async () =>
        {
            var response = await _client.RequestPairingCodeAsync(
                new RequestPairingCodeRequest { Name = session.Name, PhoneNumber = phoneNumber }, cancellationToken: cancellationToken);
            return response.Found ? new PairingCode(response.PairingCode, response.ExpireTime.ToDateTimeOffset()) : null;
        }, cancellationToken);

    public Task<bool> MarkReadAsync(SessionKey session, string chat, IReadOnlyCollection<string> messageIds, CancellationToken cancellationToken = default) =>
        WorkerRpcErrors.CallAsync(async () => (await _client.MarkMessagesReadAsync(
            new MarkMessagesReadRequest { Name = session.Name, Chat = chat, MessageIds = { messageIds } }, cancellationToken: cancellationToken)).Marked,
            cancellationToken);

    public async IAsyncEnumerable<SessionChange> WatchAsync(SessionKey session, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        using var call = _client.WatchSession(new WatchSessionRequest { Name = session.Name }, cancellationToken: cancellationToken);
        while (await WorkerRpcErrors.CallAsync(() => call.ResponseStream.MoveNext(cancellationToken), cancellationToken))
        {
            var change = call.ResponseStream.Current;
            yield return new SessionChange(change.Snapshot.ToSnapshot(), change.NewQrCode);
        }
    }
}
