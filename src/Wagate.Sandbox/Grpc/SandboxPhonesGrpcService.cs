using System.Globalization;
using Grpc.Core;
using Wagate.Contracts.Sandbox.V1;

namespace Wagate.Sandbox.Grpc;

/// <summary>The public SandboxService contract, served by the sandbox network process on its
/// internal h2c port to cluster gateways (<see cref="GrpcSandboxPhones"/>), which authenticate
/// the caller, check its tenant and validate the request before they forward it; so nothing is
/// checked again here. The public contract rather than an internal copy: the messages are
/// exactly the ones the gateway answers with, and one contract cannot drift from another.
/// Two things differ from the gateway: page tokens are plain offsets (the gateway issues its own
/// opaque ones), and refusals carry their kind (<see cref="SandboxRpcErrors"/>).</summary>
public sealed class SandboxPhonesGrpcService(ISandboxPhones phones) : SandboxService.SandboxServiceBase
{
    // As the public contract documents for a page_size of 0.
    private const int DefaultPageSize = 50;

    public override Task<CreateSandboxPhoneResponse> CreateSandboxPhone(CreateSandboxPhoneRequest request, ServerCallContext context) =>
        SandboxRpcErrors.ServeAsync(async () => new CreateSandboxPhoneResponse
        {
            SandboxPhone = await phones.CreatePhoneAsync(request.Parent, request.SandboxPhone?.PhoneNumber ?? "", context.CancellationToken),
        });

    public override Task<ScanResponse> Scan(ScanRequest request, ServerCallContext context) =>
        SandboxRpcErrors.ServeAsync(async () => new ScanResponse
        {
            Session = await phones.ScanAsync(request.Tenant, request.Code, request.PhoneNumber, context.CancellationToken),
        });

    public override Task<SendSandboxMessageResponse> SendSandboxMessage(SendSandboxMessageRequest request, ServerCallContext context) =>
        SandboxRpcErrors.ServeAsync(async () =>
        {
            var (tenant, number) = PhoneOf(request.Name);
            return new SendSandboxMessageResponse
            {
                Message = await phones.SendFromPhoneAsync(tenant, number, request.To, SandboxMessageRequests.ContentOf(request), context.CancellationToken),
            };
        });

    public override Task<ListSandboxMessagesResponse> ListSandboxMessages(ListSandboxMessagesRequest request, ServerCallContext context) =>
        SandboxRpcErrors.ServeAsync(async () =>
        {
            var (tenant, number) = PhoneOf(request.Parent);
            var page = await phones.ListMessagesAsync(tenant, number, OffsetOf(request.PageToken),
                request.PageSize > 0 ? request.PageSize : DefaultPageSize, context.CancellationToken);
            return new ListSandboxMessagesResponse
            {
                Messages = { page.Messages },
                NextPageToken = page.NextOffset?.ToString(CultureInfo.InvariantCulture) ?? "",
            };
        });

    public override Task<MarkSandboxMessagesReadResponse> MarkSandboxMessagesRead(MarkSandboxMessagesReadRequest request, ServerCallContext context) =>
        SandboxRpcErrors.ServeAsync(async () =>
        {
            var (tenant, number) = PhoneOf(request.Parent);
            return new MarkSandboxMessagesReadResponse
            {
                MarkedCount = await phones.MarkReadAsync(tenant, number, request.MessageIds, context.CancellationToken),
            };
        });

    public override Task<MarkSandboxMessagesPlayedResponse> MarkSandboxMessagesPlayed(MarkSandboxMessagesPlayedRequest request, ServerCallContext context) =>
        SandboxRpcErrors.ServeAsync(async () =>
        {
            var (tenant, number) = PhoneOf(request.Parent);
            return new MarkSandboxMessagesPlayedResponse
            {
                PlayedCount = await phones.MarkPlayedAsync(tenant, number, request.MessageIds, context.CancellationToken),
            };
        });

    public override Task<DisconnectSandboxDevicesResponse> DisconnectSandboxDevices(DisconnectSandboxDevicesRequest request, ServerCallContext context) =>
        SandboxRpcErrors.ServeAsync(async () =>
        {
            var (tenant, number) = PhoneOf(request.Name);
            return new DisconnectSandboxDevicesResponse
            {
                DisconnectedCount = await phones.DisconnectDevicesAsync(tenant, number, context.CancellationToken),
            };
        });

    public override Task<SetSandboxPhoneOnlineResponse> SetSandboxPhoneOnline(SetSandboxPhoneOnlineRequest request, ServerCallContext context) =>
        SandboxRpcErrors.ServeAsync(async () =>
        {
            var (tenant, number) = PhoneOf(request.Name);
            return new SetSandboxPhoneOnlineResponse
            {
                SandboxPhone = await phones.SetOnlineAsync(tenant, number, request.Online, context.CancellationToken),
            };
        });

    private static int OffsetOf(string pageToken) =>
        pageToken.Length == 0 ? 0
        : int.TryParse(pageToken, NumberStyles.None, CultureInfo.InvariantCulture, out var offset) ? offset
        : throw new SandboxException(SandboxErrorKind.InvalidArgument, $"'{pageToken}' is not a page token of the sandbox network.");

    private static (string Tenant, string Number) PhoneOf(string name) =>
        SandboxPhoneNames.TryParse(name, out var tenant, out var number)
            ? (tenant, number)
            : throw new SandboxException(SandboxErrorKind.InvalidArgument, $"'{name}' is not a sandbox phone name.");
}
