using System.Net.Mail;
using Google.Rpc;
using Wagate.Core;
using Wagate.Gateway.Common;
using Wagate.Gateway.Errors;

namespace Wagate.Gateway.Validation;

/// <summary>Collects every problem of a request, so one answer names them all. Field paths use
/// the proto JSON names (lowerCamelCase), as REST clients wrote them.</summary>
public sealed class Violations
{
    private readonly List<BadRequest.Types.FieldViolation> _items = [];

    public bool Any => _items.Count > 0;

    public Violations Add(string field, string description)
    {
        _items.Add(new BadRequest.Types.FieldViolation { Field = field, Description = description });
        return this;
    }

    public Violations Text(string field, string value, int maxLength, bool required = true)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            if (required)
            {
                Add(field, "is required");
            }
        }
        else if (value.Length > maxLength)
        {
            Add(field, $"must be at most {maxLength} characters (got {value.Length})");
        }
        else if (value.Any(char.IsControl))
        {
            Add(field, "must not contain control characters");
        }
        return this;
    }

    public Violations Email(string field, string value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return Add(field, "is required");
        }
        if (value.Length > Data.Limits.EmailLength)
        {
            return Add(field, $"must be at most {Data.Limits.EmailLength} characters");
        }
        var trimmed = value.Trim();
        var valid = MailAddress.TryCreate(trimmed, out var address)
            && address.Address == trimmed
            && address.Host.Contains('.', StringComparison.Ordinal)
            && !trimmed.Any(char.IsWhiteSpace);
        return valid ? this : Add(field, "is not a valid email address");
    }

    /// <summary>A resource name of the given pattern, e.g. <c>tenants/*/apiKeys/*</c>.</summary>
    public Violations Name(string field, string value, string pattern)
    {
        if (string.IsNullOrEmpty(value))
        {
            return Add(field, "is required");
        }
        return ResourceNames.TryMatch(value, pattern, out _)
            ? this
            : Add(field, $"must be a resource name of the form {pattern.Replace("*", "{id}", StringComparison.Ordinal)}");
    }

    public Violations Phone(string field, string value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return Add(field, "is required");
        }
        return PhoneNumbers.TryNormalize(value, out _) ? this : Add(field, PhoneNumbers.Expected);
    }

    /// <summary><c>tenants/{tenant}/sandboxPhones/{digits}</c>: the phone's number without "+".</summary>
    public Violations SandboxPhoneName(string field, string value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return Add(field, "is required");
        }
        return ResourceNames.TryMatch(value, "tenants/*/sandboxPhones/*", out var ids)
            && ids[1].All(char.IsAsciiDigit) && PhoneNumbers.TryNormalize("+" + ids[1], out _)
            ? this
            : Add(field, "must be a resource name of the form tenants/{tenant}/sandboxPhones/{digits}, e.g. tenants/{tenant}/sandboxPhones/15551234567");
    }

    /// <summary>A message's id as WhatsApp shows it; <paramref name="whose"/> says which
    /// message it must name, e.g. "a message of this session".</summary>
    public Violations MessageId(string field, string id, string whose) =>
        id.Length is 0 or > Messaging.MessageLimits.MessageIdLength || !id.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_')
            ? Add(field, $"must be the id of {whose}: 1 to {Messaging.MessageLimits.MessageIdLength} letters, digits, '-' or '_'")
            : this;

    /// <summary>A reaction: one emoji, or empty to take an earlier one back.</summary>
    public Violations Emoji(string field, string emoji) =>
        emoji.Length > Messaging.MessageLimits.EmojiLength || emoji.Any(char.IsWhiteSpace)
            ? Add(field, "must be one emoji, or empty to remove a reaction")
            : this;

    public Violations PageSize(string field, int pageSize) =>
        pageSize is < 0 or > Paging.MaxPageSize ? Add(field, $"must be between 0 and {Paging.MaxPageSize}") : this;

    /// <summary>The INVALID_ARGUMENT error naming every violation.</summary>
    public Grpc.Core.RpcException ToError() => ApiErrors.InvalidArgument(_items);

    public void ThrowIfAny()
    {
        if (Any)
        {
            throw ToError();
        }
    }
}
