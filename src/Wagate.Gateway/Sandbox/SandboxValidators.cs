using Wagate.Contracts.Sandbox.V1;
using Wagate.Gateway.Common;
using Wagate.Gateway.Messaging;
using Wagate.Gateway.Validation;

namespace Wagate.Gateway.Sandbox;

internal sealed class CreateSandboxPhoneValidator : IRequestValidator<CreateSandboxPhoneRequest>
{
    public void Validate(CreateSandboxPhoneRequest request, Violations violations)
    {
        violations.Name("parent", request.Parent, "tenants/*");
        if (request.SandboxPhone is null)
        {
            violations.Add("sandboxPhone", "is required");
            return;
        }
        violations.Phone("sandboxPhone.phoneNumber", request.SandboxPhone.PhoneNumber);
    }
}

internal sealed class ScanValidator : IRequestValidator<ScanRequest>
{
    public void Validate(ScanRequest request, Violations violations) => violations
        .Name("tenant", request.Tenant, "tenants/*")
        .Text("code", request.Code, 512)
        .Phone("phoneNumber", request.PhoneNumber);
}

internal sealed class SendSandboxMessageValidator : IRequestValidator<SendSandboxMessageRequest>
{
    // The phone names messages by the ids its own message list shows.
    private const string PhonesMessage = "a message of this chat as the phone's messages show it";

    public void Validate(SendSandboxMessageRequest request, Violations violations)
    {
        violations.SandboxPhoneName("name", request.Name).Phone("to", request.To);
        if (request.Reaction is null)
        {
            violations.Text("text", request.Text, MessageLimits.TextLength);
            if (request.ReplyTo.Length > 0)
            {
                violations.MessageId("replyTo", request.ReplyTo, PhonesMessage);
            }
            return;
        }
        if (request.Text.Length > 0 || request.ReplyTo.Length > 0)
        {
            violations.Add(request.Text.Length > 0 ? "text" : "replyTo", "must be empty when the message is a reaction");
        }
        violations.MessageId("reaction.messageId", request.Reaction.MessageId, PhonesMessage).Emoji("reaction.emoji", request.Reaction.Emoji);
    }
}

internal sealed class ListSandboxMessagesValidator : IRequestValidator<ListSandboxMessagesRequest>
{
    public void Validate(ListSandboxMessagesRequest request, Violations violations) => violations
        .SandboxPhoneName("parent", request.Parent)
        .PageSize("pageSize", request.PageSize);
}

internal sealed class MarkSandboxMessagesReadValidator : IRequestValidator<MarkSandboxMessagesReadRequest>
{
    public void Validate(MarkSandboxMessagesReadRequest request, Violations violations) =>
        violations.SandboxPhoneName("parent", request.Parent);
}

internal sealed class MarkSandboxMessagesPlayedValidator : IRequestValidator<MarkSandboxMessagesPlayedRequest>
{
    public void Validate(MarkSandboxMessagesPlayedRequest request, Violations violations) =>
        violations.SandboxPhoneName("parent", request.Parent);
}

internal sealed class SetSandboxPhoneOnlineValidator : IRequestValidator<SetSandboxPhoneOnlineRequest>
{
    public void Validate(SetSandboxPhoneOnlineRequest request, Violations violations) =>
        violations.SandboxPhoneName("name", request.Name);
}

internal sealed class DisconnectSandboxDevicesValidator : IRequestValidator<DisconnectSandboxDevicesRequest>
{
    public void Validate(DisconnectSandboxDevicesRequest request, Violations violations) =>
        violations.SandboxPhoneName("name", request.Name);
}
