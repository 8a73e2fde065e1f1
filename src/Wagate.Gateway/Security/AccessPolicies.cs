using Google.Protobuf.Reflection;
using Wagate.Contracts.Api.V1;

namespace Wagate.Gateway.Security;

/// <summary>The access policy of every RPC we serve, read once from the proto options of the
/// service descriptors. Methods of other services (health, reflection) are not listed here.</summary>
public sealed class AccessPolicies
{
    private readonly Dictionary<string, (MethodDescriptor Method, AccessPolicy? Policy)> _byPath;

    public AccessPolicies(IEnumerable<Google.Protobuf.Reflection.ServiceDescriptor> services)
    {
        _byPath = services
            .SelectMany(s => s.Methods)
            .ToDictionary(m => $"/{m.Service.FullName}/{m.Name}", m => (m, m.GetOptions()?.GetExtension(AccessExtensions.Access)));
    }

    public IEnumerable<MethodDescriptor> Methods => _byPath.Values.Select(v => v.Method);

    /// <summary>False for methods that are not ours; otherwise the policy, which is null when
    /// the contract forgot to declare one (such a call is refused).</summary>
    public bool TryGet(string methodPath, out MethodDescriptor? method, out AccessPolicy? policy)
    {
        if (_byPath.TryGetValue(methodPath, out var entry))
        {
            (method, policy) = entry;
            return true;
        }
        (method, policy) = (null, null);
        return false;
    }
}
