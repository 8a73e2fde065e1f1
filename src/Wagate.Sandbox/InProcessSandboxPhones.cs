using Wagate.Contracts.Message.V1;
using Wagate.Contracts.Sandbox.V1;

namespace Wagate.Sandbox;

/// <summary>The phones of a sandbox network in this process (a single node, or the sandbox
/// network process itself, which serves them on to cluster gateways).</summary>
public sealed class InProcessSandboxPhones(SandboxNetwork network) : ISandboxPhones
{
    public Task<SandboxPhone> CreatePhoneAsync(string tenant, string number, CancellationToken cancellationToken = default) =>
        Run(() => network.CreatePhone(tenant, number), cancellationToken);

    public Task<string> ScanAsync(string tenant, string code, string number, CancellationToken cancellationToken = default) =>
        Run(() => network.Scan(tenant, code, number), cancellationToken);

    public Task<SandboxMessage> SendFromPhoneAsync(string tenant, string number, string recipient, Content content, CancellationToken cancellationToken = default) =>
        Run(() => network.SendFromPhone(tenant, number, recipient, content), cancellationToken);

    public Task<SandboxMessagePage> ListMessagesAsync(string tenant, string number, int offset, int size, CancellationToken cancellationToken = default) =>
        Run(() => network.ListMessages(tenant, number, offset, size), cancellationToken);

    public Task<int> MarkReadAsync(string tenant, string number, IReadOnlyCollection<string> ids, CancellationToken cancellationToken = default) =>
        Run(() => network.MarkRead(tenant, number, ids), cancellationToken);

    public Task<int> MarkPlayedAsync(string tenant, string number, IReadOnlyCollection<string> ids, CancellationToken cancellationToken = default) =>
        Run(() => network.MarkPlayed(tenant, number, ids), cancellationToken);

    public Task<int> DisconnectDevicesAsync(string tenant, string number, CancellationToken cancellationToken = default) =>
        Run(() => network.DisconnectDevices(tenant, number), cancellationToken);

    public Task<SandboxPhone> SetOnlineAsync(string tenant, string number, bool online, CancellationToken cancellationToken = default) =>
        Run(() => network.SetOnline(tenant, number, online), cancellationToken);

    /// <summary>A refusal arrives in the returned task, never thrown on the caller's stack, as
    /// with the remote adapter.</summary>
    private static Task<T> Run<T>(Func<T> operation, CancellationToken cancellationToken)
    {
        if (cancellationToken.IsCancellationRequested)
        {
            return Task.FromCanceled<T>(cancellationToken);
        }
        try
        {
            return Task.FromResult(operation());
        }
        catch (SandboxException refused)
        {
            return Task.FromException<T>(refused);
        }
    }
}
