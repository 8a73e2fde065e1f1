using System.Runtime.CompilerServices;
using Google.Protobuf.WellKnownTypes;
using Wagate.Contracts.Session.V1;
using Wagate.Core;
using Wagate.Core.Workers;
using Wagate.Data.Entities;
using Wagate.Data.Sessions;
using Wagate.Data.Tenants;
using Wagate.Gateway.Common;
using Wagate.Gateway.Errors;
using Wagate.Gateway.Tenancy;

namespace Wagate.Gateway.Sessions;

/// <summary>The session use cases: the stored row is the desired session, the worker that
/// runs it has the live state. Every query is scoped to the tenant.</summary>
public sealed class SessionDirectory(GatewaySessionStore sessions, TenantStore tenants, ISessionHosting hosting, SessionPlans plans, TimeProvider clock)
{
    private static readonly TimeSpan FirstQrPatience = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan RetryPoll = TimeSpan.FromMilliseconds(50);

    public async Task<Session> CreateAsync(string tenantId, CreateSessionRequest request, CancellationToken cancellationToken)
    {
        var plan = await tenants.PlanOfAsync(tenantId, cancellationToken);
        var count = await sessions.CountAsync(tenantId, cancellationToken);
        var limit = PlanLimits.Sessions(plan);
        if (count >= limit)
        {
            throw ApiErrors.QuotaExceeded(ResourceNames.Tenant(tenantId), $"at most {limit} sessions on this plan",
                $"The tenant already has {count} sessions, the most its plan allows; delete one first.");
        }
        var now = clock.GetUtcNow().UtcDateTime;
        var row = new SessionRecord
        {
            TenantId = tenantId,
            Id = string.IsNullOrEmpty(request.SessionId) ? Ids.NewSessionId() : request.SessionId,
            DisplayName = request.Session.DisplayName.Trim(),
            Engine = (int)request.Session.Engine,
            State = (int)Session.Types.State.Starting,
            CreateTime = now,
            UpdateTime = now,
        };
        if (!await sessions.AddAsync(row, cancellationToken))
        {
            throw ApiErrors.AlreadyExists(ErrorReason.SessionExists, $"The session {new SessionKey(tenantId, row.Id).Name} already exists.");
        }
        var key = new SessionKey(tenantId, row.Id);
        await hosting.StartAsync(key, request.Session.Engine, cancellationToken);
        // Answered once a worker runs it, so the answer names the worker and the next call (the QR
        // code, a watch) finds the session there; a session no worker has room for yet is still created.
        return row.ToProto(await hosting.RunningWorkerAsync(key, cancellationToken) is { } worker
            && await worker.GetSnapshotAsync(key, cancellationToken) is { } snapshot
                ? new LiveStatus(worker.Name, snapshot)
                : await LiveOrNullAsync(row, cancellationToken));
    }

    public async Task<Session> GetAsync(SessionKey key, CancellationToken cancellationToken)
    {
        var row = await FindAsync(key, cancellationToken);
        return row.ToProto(await LiveOrNullAsync(row, cancellationToken));
    }

    /// <summary>Oldest first.</summary>
    public async Task<(IReadOnlyList<Session> Sessions, string NextPageToken)> ListAsync(
        string tenantId, int pageSize, string pageToken, CancellationToken cancellationToken)
    {
        var rows = await sessions.ListAsync(tenantId, Paging.After(pageToken), Paging.Size(pageSize), cancellationToken);
        var page = new List<Session>();
        foreach (var row in rows.Items)
        {
            page.Add(row.ToProto(await LiveOrNullAsync(row, cancellationToken)));
        }
        return (page, Paging.NextToken(rows));
    }

    public async Task DeleteAsync(SessionKey key, CancellationToken cancellationToken)
    {
        var row = await FindAsync(key, cancellationToken);
        await hosting.RemoveAsync(key, cancellationToken);
        await sessions.DeleteAsync(key.TenantId, key.SessionId, cancellationToken);
        plans.Forget(key);
    }

    /// <summary>Read from the worker itself: QR codes change every few seconds and are not
    /// part of the published status. A session that is still starting shows its first QR code
    /// a moment later (WhatsApp sends it after the handshake): that is waited for, up to
    /// <see cref="FirstQrPatience"/>, so a client asking right after creating the session gets it.</summary>
    public async Task<QrCode> GetQrCodeAsync(SessionKey key, CancellationToken cancellationToken)
    {
        var row = await FindAsync(key, cancellationToken);
        SessionSnapshot? live = null;
        using (var patience = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
        {
            patience.CancelAfter(FirstQrPatience);
            try
            {
                // Until the session shows a QR code or gets past starting; a watch that ends empty
                // met a worker the session is not on yet (just placed there): look again. With no
                // worker at all the answer is at once UNAVAILABLE with a retry delay.
                while (StillStarting(live))
                {
                    var worker = await hosting.WorkerOfAsync(key, patience.Token) ?? throw await NotOnAnyWorkerAsync(key, row, cancellationToken);
                    await foreach (var change in worker.WatchAsync(key, patience.Token))
                    {
                        live = change.Snapshot;
                        if (!StillStarting(live))
                        {
                            break;
                        }
                    }
                    if (StillStarting(live))
                    {
                        await Task.Delay(RetryPoll, patience.Token);
                    }
                }
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                // Still starting: answered below with the state it is in.
            }
        }
        if (live?.QrCode is { } qr)
        {
            return qr.ToProto();
        }

        static bool StillStarting(SessionSnapshot? snapshot) =>
            snapshot is null || (snapshot.QrCode is null && snapshot.State == Session.Types.State.Starting);
        var state = live?.State ?? (await LiveOrNullAsync(row, cancellationToken))?.Snapshot.State ?? row.RecordedState();
        throw WrongState(key, state, "There is no QR code to scan: the session is not waiting to be linked.");
    }

    public async Task<RequestPairingCodeResponse> RequestPairingCodeAsync(SessionKey key, string phoneNumber, CancellationToken cancellationToken)
    {
        var row = await FindAsync(key, cancellationToken);
        var worker = await hosting.WorkerOfAsync(key, cancellationToken) ?? throw await NotOnAnyWorkerAsync(key, row, cancellationToken);
        var issued = await worker.RequestPairingCodeAsync(key, phoneNumber, cancellationToken);
        if (issued is null)
        {
            var state = (await LiveOrNullAsync(row, cancellationToken))?.Snapshot.State ?? row.RecordedState();
            throw WrongState(key, state, "A pairing code can only be requested while the session waits to be linked (STATE_SCAN_QR_CODE).");
        }
        return new RequestPairingCodeResponse { PairingCode = issued.Code, ExpireTime = Timestamp.FromDateTimeOffset(issued.ExpireTime) };
    }

    public async Task<Session> LogoutAsync(SessionKey key, CancellationToken cancellationToken)
    {
        await FindAsync(key, cancellationToken);
        // The owner's last status, which reaches the watched statuses a moment later; or, for a
        // session that ran nowhere, its row, which the worker that logged it out has written.
        var last = await hosting.LogoutAsync(key, cancellationToken);
        return (await FindAsync(key, cancellationToken)).ToProto(last);
    }

    /// <summary>Stops the session wherever it runs and starts it again on the least loaded worker.</summary>
    public async Task<Session> RestartAsync(SessionKey key, CancellationToken cancellationToken)
    {
        var row = await FindAsync(key, cancellationToken);
        await hosting.RestartAsync(key, (Engine)row.Engine, cancellationToken);
        return await GetAsync(key, cancellationToken);
    }

    /// <summary>Runs again every session that was running when the platform stopped; sessions
    /// waiting for a restart (logged out, replaced, failed) stay as they are.</summary>
    public async Task<int> ResumeAllAsync(CancellationToken cancellationToken)
    {
        var rows = await sessions.ListAcrossTenantsAsync(SessionSnapshot.RestartStates, cancellationToken);
        return await hosting.ResumeAsync(
            rows.Select(r => (new SessionKey(r.TenantId, r.Id), (Engine)r.Engine)).ToList(), cancellationToken);
    }

    /// <summary>The session's snapshot and then its changes, for WatchSession. A session that
    /// runs nowhere yields its stored state once.</summary>
    public async IAsyncEnumerable<WatchSessionResponse> WatchAsync(SessionKey key, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var row = await FindAsync(key, cancellationToken);
        var worker = await hosting.WorkerOfAsync(key, cancellationToken);
        if (worker is null || await worker.GetSnapshotAsync(key, cancellationToken) is null)
        {
            // A session being placed or handed over is watched on the worker that takes it.
            worker = await hosting.WithoutWorkerAsync(key, cancellationToken) is null ? null : await hosting.RunningWorkerAsync(key, cancellationToken);
        }
        if (worker is null)
        {
            yield return new WatchSessionResponse { Session = row.ToProto(null) };
            yield break;
        }
        var last = Session.Types.State.Unspecified;
        await foreach (var change in worker.WatchAsync(key, cancellationToken))
        {
            if (change.Snapshot.State != last || !change.NewQrCode)
            {
                last = change.Snapshot.State;
                yield return new WatchSessionResponse { Session = row.ToProto(new LiveStatus(worker.Name, change.Snapshot)) };
            }
            if (change.NewQrCode && change.Snapshot.QrCode is { } qr)
            {
                yield return new WatchSessionResponse { QrCode = qr.ToProto() };
            }
        }
    }

    /// <summary>The live status of the session and the worker it came from, if it has run since
    /// it was declared.</summary>
    private Task<LiveStatus?> LiveOrNullAsync(SessionRecord row, CancellationToken cancellationToken) =>
        hosting.StatusOfAsync(new SessionKey(row.TenantId, row.Id), cancellationToken);

    /// <summary>The error for a call that needs the session's worker when it has none.</summary>
    private async Task<Grpc.Core.RpcException> NotOnAnyWorkerAsync(SessionKey key, SessionRecord row, CancellationToken cancellationToken) =>
        await hosting.WithoutWorkerAsync(key, cancellationToken) ?? WrongState(key, row.RecordedState(), "The session is not running; restart it.");

    private async Task<SessionRecord> FindAsync(SessionKey key, CancellationToken cancellationToken) =>
        await sessions.GetAsync(key.TenantId, key.SessionId, cancellationToken)
        ?? throw ApiErrors.NotFound(key.Name);

    /// <summary>FAILED_PRECONDITION naming the state the session is in, and why that will not do.</summary>
    internal static Grpc.Core.RpcException WrongState(SessionKey key, Session.Types.State state, string message) =>
        ApiErrors.FailedPrecondition(ErrorReason.SessionState,
            $"{key.Name} is in {Session.Descriptor.EnumTypes.Single(e => e.Name == "State").FindValueByNumber((int)state).Name}: {message}");
}
