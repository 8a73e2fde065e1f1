using Wagate.Contracts.Session.V1;
using Wagate.Core;
using Wagate.Sandbox;
using Wagate.Testing;
using Wagate.Worker.Runtime;
using SessionStateEnum = Wagate.Contracts.Session.V1.Session.Types.State;

namespace Wagate.Worker.Tests;

/// <summary>Links a sandbox session on a worker as a person would: the worker starts it, shows a QR
/// code, the phone scans it, and the session connects.</summary>
internal static class SandboxLinking
{
    public static async Task LinkAsync(WorkerNode worker, SandboxNetwork network, SessionKey session, string phone)
    {
        await worker.StartSessionAsync(session, Engine.Sandbox, fencingToken: 1);
        var qr = await Poll.UntilAsync(async () => (await worker.GetSnapshotAsync(session))?.QrCode);
        network.Scan(session.TenantName, qr.Code, phone);
        await Poll.UntilAsync(async () => (await worker.GetSnapshotAsync(session)) is { State: SessionStateEnum.Connected } s ? s : null);
    }
}
