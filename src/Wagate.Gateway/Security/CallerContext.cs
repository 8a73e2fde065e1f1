using Grpc.Core;
using Wagate.Gateway.Errors;

namespace Wagate.Gateway.Security;

/// <summary>Carries the <see cref="Caller"/> from the access interceptor to the service method
/// through the call's user state, which gRPC, gRPC-Web and JSON transcoding all share.</summary>
public static class CallerContext
{
    private const string Key = "wagate.caller";

    public static void Set(ServerCallContext context, Caller caller) => context.UserState[Key] = caller;

    /// <summary>The authenticated caller. Only anonymous RPCs run without one, and they do not ask.</summary>
    public static Caller GetCaller(this ServerCallContext context) =>
        context.UserState.TryGetValue(Key, out var value) && value is Caller caller
            ? caller
            : throw ApiErrors.Unauthenticated(ErrorReason.CredentialsMissing, "This call needs credentials.");
}
