using Wagate.Contracts.Message.V1;
using Wagate.Contracts.Sandbox.V1;

namespace Wagate.Sandbox.Grpc;

/// <summary>The content a <see cref="SendSandboxMessageRequest"/> carries, both ways: the
/// gateway and the sandbox process read it, the phones' gRPC client writes it.</summary>
public static class SandboxMessageRequests
{
    /// <summary>A reaction when the request holds one, else its text with what it answers.</summary>
    public static Content ContentOf(SendSandboxMessageRequest request) => request.Reaction is { } reaction
        ? new Content { Reaction = reaction.Clone() }
        : new Content { Text = new TextContent { Body = request.Text }, ReplyTo = request.ReplyTo };

    public static SendSandboxMessageRequest For(string name, string to, Content content)
    {
        var request = new SendSandboxMessageRequest { Name = name, To = to, ReplyTo = content.ReplyTo };
        switch (content.KindCase)
        {
            case Content.KindOneofCase.Reaction:
                request.Reaction = content.Reaction.Clone();
                break;
            case Content.KindOneofCase.Text:
                request.Text = content.Text.Body;
                break;
            default:
                throw new ArgumentException($"A sandbox phone sends texts and reactions, not {content.KindCase}.", nameof(content));
        }
        return request;
    }
}
