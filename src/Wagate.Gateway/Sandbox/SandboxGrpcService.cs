using Grpc.Core;
using Wagate.Contracts.Sandbox.V1;
using Wagate.Core;
using Wagate.Gateway.Common;
using Wagate.Gateway.Errors;
using Wagate.Sandbox;
using Wagate.Sandbox.Grpc;

namespace Wagate.Gateway.Sandbox;

/// <summary>SandboxService: the tenant's simulated phones on the sandbox network, wherever it
/// runs (<see cref="ISandboxPhones"/>: in this process on a single node, the sandbox network
/// process in a cluster). Phone names carry the number's digits
/// (<c>tenants/{tenant}/sandboxPhones/15551234567</c>).</summary>
public sealed class SandboxGrpcService(ISandboxPhones phones) : SandboxService.SandboxServiceBase
{
    // How long a client should wait before retrying when the sandbox network process is away.
    private static readonly TimeSpan UnavailableRetry = TimeSpan.FromSeconds(2);

    public override async Task<CreateSandboxPhoneResponse> CreateSandboxPhone(CreateSandboxPhoneRequest request, ServerCallContext context)
    {
        PhoneNumbers.TryNormalize(request.SandboxPhone.PhoneNumber, out var number);
        return new CreateSandboxPhoneResponse
        {
            SandboxPhone = await Run(() => phones.CreatePhoneAsync(request.Parent, number, context.CancellationToken)),
        };
    }

    public override async Task<ScanResponse> Scan(ScanRequest request, ServerCallContext context)
    {
        PhoneNumbers.TryNormalize(request.PhoneNumber, out var number);
        return new ScanResponse { Session = await Run(() => phones.ScanAsync(request.Tenant, request.Code.Trim(), number, context.CancellationToken)) };
    }

    public override async Task<SendSandboxMessageResponse> SendSandboxMessage(SendSandboxMessageRequest request, ServerCallContext context)
    {
        var (tenant, number) = PhoneOf(request.Name);
        PhoneNumbers.TryNormalize(request.To, out var to);
        return new SendSandboxMessageResponse
        {
            Message = await Run(() => phones.SendFromPhoneAsync(tenant, number, to, SandboxMessageRequests.ContentOf(request), context.CancellationToken)),
        };
    }

    public override async Task<ListSandboxMessagesResponse> ListSandboxMessages(ListSandboxMessagesRequest request, ServerCallContext context)
    {
        var (tenant, number) = PhoneOf(request.Parent);
        var offset = OffsetOf(request.PageToken);
        var page = await Run(() => phones.ListMessagesAsync(tenant, number, offset, Paging.Size(request.PageSize), context.CancellationToken));
        return new ListSandboxMessagesResponse
        {
            Messages = { page.Messages },
            NextPageToken = page.NextOffset is { } next ? Paging.Token("o" + next) : "",
        };
    }

    public override async Task<MarkSandboxMessagesReadResponse> MarkSandboxMessagesRead(MarkSandboxMessagesReadRequest request, ServerCallContext context)
    {
        var (tenant, number) = PhoneOf(request.Parent);
        return new MarkSandboxMessagesReadResponse
        {
            MarkedCount = await Run(() => phones.MarkReadAsync(tenant, number, request.MessageIds, context.CancellationToken)),
        };
    }

    public override async Task<MarkSandboxMessagesPlayedResponse> MarkSandboxMessagesPlayed(MarkSandboxMessagesPlayedRequest request, ServerCallContext context)
    {
        var (tenant, number) = PhoneOf(request.Parent);
        return new MarkSandboxMessagesPlayedResponse
        {
            PlayedCount = await Run(() => phones.MarkPlayedAsync(tenant, number, request.MessageIds, context.CancellationToken)),
        };
    }

    public override async Task<DisconnectSandboxDevicesResponse> DisconnectSandboxDevices(DisconnectSandboxDevicesRequest request, ServerCallContext context)
    {
        var (tenant, number) = PhoneOf(request.Name);
        return new DisconnectSandboxDevicesResponse
        {
            DisconnectedCount = await Run(() => phones.DisconnectDevicesAsync(tenant, number, context.CancellationToken)),
        };
    }

    public override async Task<SetSandboxPhoneOnlineResponse> SetSandboxPhoneOnline(SetSandboxPhoneOnlineRequest request, ServerCallContext context)
    {
        var (tenant, number) = PhoneOf(request.Name);
        return new SetSandboxPhoneOnlineResponse
        {
            SandboxPhone = await Run(() => phones.SetOnlineAsync(tenant, number, request.Online, context.CancellationToken)),
        };
    }

    private static (string Tenant, string Number) PhoneOf(string name)
    {
        var ids = ResourceNames.Ids(name, ResourceNames.SandboxPhonePattern);
        return (ResourceNames.Tenant(ids[0]), "+" + ids[1]);
    }

    /// <summary>Sandbox pages are positions in the phone's message list.</summary>
    private static int OffsetOf(string pageToken) =>
        Paging.After(pageToken) is { } after && int.TryParse(after.AsSpan(1), System.Globalization.CultureInfo.InvariantCulture, out var offset)
            ? offset
            : 0;

    private static async Task<T> Run<T>(Func<Task<T>> action)
    {
        try
        {
            return await action();
        }
        catch (SandboxException refused)
        {
            throw refused.Kind switch
            {
                SandboxErrorKind.NotFound => ApiErrors.Build(Google.Rpc.Code.NotFound, ErrorReason.SandboxRefused, refused.Message),
                SandboxErrorKind.AlreadyExists => ApiErrors.AlreadyExists(ErrorReason.SandboxRefused, refused.Message),
                SandboxErrorKind.InvalidArgument => ApiErrors.Build(Google.Rpc.Code.InvalidArgument, ErrorReason.SandboxRefused, refused.Message),
                SandboxErrorKind.Unavailable => ApiErrors.Unavailable(ErrorReason.SandboxUnavailable, refused.Message, UnavailableRetry),
                _ => ApiErrors.FailedPrecondition(ErrorReason.SandboxRefused, refused.Message),
            };
        }
    }
}
