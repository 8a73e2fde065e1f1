using Grpc.Core;
using Wagate.Contracts.Message.V1;

namespace Wagate.Gateway.Messaging;

/// <summary>MessageService: requests are validated and the caller's access to the tenant checked
/// by the interceptors before these run.</summary>
public sealed class MessageGrpcService(MessageDirectory messages, EventFeed events) : MessageService.MessageServiceBase
{
    public override async Task<SendMessageResponse> SendMessage(SendMessageRequest request, ServerCallContext context) =>
        new() { Message = await messages.SendAsync(request, context.CancellationToken) };

    public override async Task<GetMessageResponse> GetMessage(GetMessageRequest request, ServerCallContext context) =>
        new() { Message = await messages.GetAsync(request.Name, context.CancellationToken) };

    public override async Task<MarkMessageReadResponse> MarkMessageRead(MarkMessageReadRequest request, ServerCallContext context) =>
        new() { Message = await messages.MarkReadAsync(request.Name, context.CancellationToken) };

    public override Task<ListMessagesResponse> ListMessages(ListMessagesRequest request, ServerCallContext context) =>
        messages.ListAsync(request, context.CancellationToken);

    public override async Task StreamEvents(StreamEventsRequest request, IServerStreamWriter<StreamEventsResponse> responseStream, ServerCallContext context)
    {
        try
        {
            await foreach (var @event in events.FollowAsync(request, context.CancellationToken))
            {
                await responseStream.WriteAsync(new StreamEventsResponse { Event = @event }, context.CancellationToken);
            }
        }
        catch (OperationCanceledException) when (context.CancellationToken.IsCancellationRequested)
        {
            // The client hung up: the usual end of a stream.
        }
    }
}
