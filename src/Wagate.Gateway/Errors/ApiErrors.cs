using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Google.Rpc;
using Grpc.Core;
using Status = Google.Rpc.Status;

namespace Wagate.Gateway.Errors;

/// <summary>The one way the gateway reports a failure: a <c>google.rpc.Status</c> that always
/// carries <c>ErrorInfo</c>, plus <c>BadRequest</c>, <c>RetryInfo</c> or <c>QuotaFailure</c> where
/// they apply. gRPC sends it in the <c>grpc-status-details-bin</c> trailer, and JSON
/// transcoding writes the same status as the REST body, so both protocols agree.</summary>
public static class ApiErrors
{
    /// <summary>Every detail type we send, for JSON transcoding to render <c>Any</c>.</summary>
    public static readonly Google.Protobuf.Reflection.TypeRegistry DetailTypes =
        Google.Protobuf.Reflection.TypeRegistry.FromMessages(
            ErrorInfo.Descriptor, BadRequest.Descriptor, RetryInfo.Descriptor, QuotaFailure.Descriptor,
            PreconditionFailure.Descriptor, ResourceInfo.Descriptor);

    public static RpcException InvalidArgument(IReadOnlyCollection<BadRequest.Types.FieldViolation> violations)
    {
        var badRequest = new BadRequest();
        badRequest.FieldViolations.AddRange(violations);
        var summary = string.Join("; ", violations.Select(v =>
            string.IsNullOrEmpty(v.Field) ? v.Description : $"{v.Field}: {v.Description}"));
        return Build(Code.InvalidArgument, ErrorReason.InvalidArgument, $"Invalid request: {summary}", badRequest);
    }

    public static RpcException InvalidArgument(string field, string description) =>
        InvalidArgument([new BadRequest.Types.FieldViolation { Field = field, Description = description }]);

    public static RpcException Unauthenticated(string reason, string message) =>
        Build(Code.Unauthenticated, reason, message);

    public static RpcException PermissionDenied(string reason, string message) =>
        Build(Code.PermissionDenied, reason, message);

    /// <summary>The resource does not exist, or exists in a tenant the caller cannot see; the
    /// two are indistinguishable on purpose.</summary>
    public static RpcException NotFound(string resourceName) =>
        Build(Code.NotFound, ErrorReason.NotFound, $"{resourceName} was not found.",
            new ResourceInfo { ResourceName = resourceName });

    public static RpcException AlreadyExists(string reason, string message) =>
        Build(Code.AlreadyExists, reason, message);

    public static RpcException FailedPrecondition(string reason, string message) =>
        Build(Code.FailedPrecondition, reason, message);

    public static RpcException ResourceExhausted(string reason, string message, TimeSpan retryAfter) =>
        Build(Code.ResourceExhausted, reason, message,
            new RetryInfo { RetryDelay = Duration.FromTimeSpan(Ceiling(retryAfter)) });

    public static RpcException Unavailable(string reason, string message, TimeSpan retryAfter) =>
        Build(Code.Unavailable, reason, message,
            new RetryInfo { RetryDelay = Duration.FromTimeSpan(Ceiling(retryAfter)) });

    public static RpcException QuotaExceeded(string subject, string description, string message) =>
        Build(Code.ResourceExhausted, ErrorReason.QuotaExceeded, message,
            new QuotaFailure { Violations = { new QuotaFailure.Types.Violation { Subject = subject, Description = description } } });

    /// <summary>What a client sees for any unexpected failure: no exception text, no stack,
    /// only the request id to quote when asking for help.</summary>
    public static RpcException Internal(string requestId) =>
        Build(Code.Internal, ErrorReason.Internal,
            $"Internal error. Quote request id {requestId} when reporting it.",
            metadata: new Dictionary<string, string> { ["requestId"] = requestId });

    public static RpcException Build(Code code, string reason, string message, params IMessage[] details) =>
        Build(code, reason, message, null, details);

    private static RpcException Build(
        Code code, string reason, string message, IDictionary<string, string>? metadata, params IMessage[] details)
    {
        var info = new ErrorInfo { Reason = reason, Domain = ErrorReason.Domain };
        if (metadata is not null)
        {
            info.Metadata.Add(metadata);
        }
        var status = new Status { Code = (int)code, Message = message, Details = { Any.Pack(info) } };
        status.Details.AddRange(details.Select(Any.Pack));
        return status.ToRpcException();
    }

    private static TimeSpan Ceiling(TimeSpan delay) =>
        TimeSpan.FromSeconds(Math.Max(1, Math.Ceiling(delay.TotalSeconds)));
}
