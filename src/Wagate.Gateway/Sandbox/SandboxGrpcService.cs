using Grpc.Core;
using Wagate.Contracts.Sandbox.V1;
using Wagate.Gateway.Common;
using Wagate.Gateway.Errors;
using Wagate.Sandbox;

namespace Wagate.Gateway.Sandbox;

/// <summary>SandboxService: the tenant's simulated phones on the sandbox network. Phone names
/// carry the number's digits (<c>tenants/{tenant}/sandboxPhones/15551234567</c>).</summary>
public sealed class SandboxGrpcService(SandboxNetwork network) : SandboxService.SandboxServiceBase
{
    public override Task<CreateSandboxPhoneResponse> CreateSandboxPhone(CreateSandboxPhoneRequest request, ServerCallContext context)
    {
        PhoneNumbers.TryNormalize(request.SandboxPhone.PhoneNumber, out var number);
        return Run(() => new CreateSandboxPhoneResponse { SandboxPhone = network.CreatePhone(request.Parent, number) });
    }

    public override Task<ScanResponse> Scan(ScanRequest request, ServerCallContext context)
    {
        PhoneNumbers.TryNormalize(request.PhoneNumber, out var number);
        return Run(() => new ScanResponse { Session = network.Scan(request.Tenant, request.Code.Trim(), number) });
    }

    public override Task<SendSandboxMessageResponse> SendSandboxMessage(SendSandboxMessageRequest request, ServerCallContext context)
    {
        var (tenant, number) = PhoneOf(request.Name);
        PhoneNumbers.TryNormalize(request.To, out var to);
        return Run(() => new SendSandboxMessageResponse { Message = network.SendFromPhone(tenant, number, to, request.Text) });
    }

    public override Task<ListSandboxMessagesResponse> ListSandboxMessages(ListSandboxMessagesRequest request, ServerCallContext context)
    {
        var (tenant, number) = PhoneOf(request.Parent);
        var offset = OffsetOf(request.PageToken);
        return Run(() =>
        {
            var (messages, next) = network.ListMessages(tenant, number, offset, Paging.Size(request.PageSize));
            return new ListSandboxMessagesResponse { Messages = { messages }, NextPageToken = next is { } n ? Paging.Token("o" + n) : "" };
        });
    }

    public override Task<MarkSandboxMessagesReadResponse> MarkSandboxMessagesRead(MarkSandboxMessagesReadRequest request, ServerCallContext context)
    {
        var (tenant, number) = PhoneOf(request.Parent);
        return Run(() => new MarkSandboxMessagesReadResponse { MarkedCount = network.MarkRead(tenant, number, request.MessageIds) });
    }

    public override Task<DisconnectSandboxDevicesResponse> DisconnectSandboxDevices(DisconnectSandboxDevicesRequest request, ServerCallContext context)
    {
        var (tenant, number) = PhoneOf(request.Name);
        return Run(() => new DisconnectSandboxDevicesResponse { DisconnectedCount = network.DisconnectDevices(tenant, number) });
    }

    public override Task<SetSandboxPhoneOnlineResponse> SetSandboxPhoneOnline(SetSandboxPhoneOnlineRequest request, ServerCallContext context)
    {
        var (tenant, number) = PhoneOf(request.Name);
        return Run(() => new SetSandboxPhoneOnlineResponse { SandboxPhone = network.SetOnline(tenant, number, request.Online) });
    }

    private static (string Tenant, string Number) PhoneOf(string name)
    {
        var parts = name.Split('/');
        return ($"{parts[0]}/{parts[1]}", "+" + parts[3]);
    }

    /// <summary>Sandbox pages are positions in the phone's message list.</summary>
    private static int OffsetOf(string pageToken) =>
        Paging.After(pageToken) is { } after && int.TryParse(after.AsSpan(1), System.Globalization.CultureInfo.InvariantCulture, out var offset)
            ? offset
            : 0;

    private static Task<T> Run<T>(Func<T> action)
    {
        try
        {
            return Task.FromResult(action());
        }
        catch (SandboxException refused)
        {
            throw refused.Kind switch
            {
                SandboxErrorKind.NotFound => ApiErrors.Build(Google.Rpc.Code.NotFound, ErrorReason.SandboxRefused, refused.Message),
                SandboxErrorKind.AlreadyExists => ApiErrors.AlreadyExists(ErrorReason.SandboxRefused, refused.Message),
                SandboxErrorKind.InvalidArgument => ApiErrors.Build(Google.Rpc.Code.InvalidArgument, ErrorReason.SandboxRefused, refused.Message),
                _ => ApiErrors.FailedPrecondition(ErrorReason.SandboxRefused, refused.Message),
            };
        }
    }
}
