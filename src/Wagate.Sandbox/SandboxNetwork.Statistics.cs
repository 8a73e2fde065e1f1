using Wagate.Contracts.Sandbox.V1;

namespace Wagate.Sandbox;

/// <summary>What the network saw of each linked device's connections, for tests that must
/// prove how sessions moved (SandboxNetworkService.ListDevices). Never part of the public API.</summary>
public sealed partial class SandboxNetwork
{
    /// <summary>The linked devices of <paramref name="tenant"/> (<c>tenants/{tenant}</c>), or
    /// of every tenant when it is empty.</summary>
    public IReadOnlyList<DeviceStats> ListDevices(string tenant = "")
    {
        lock (_gate)
        {
            return _devices.Values
                .Where(d => tenant.Length == 0 || d.Tenant == tenant)
                .Select(d => new DeviceStats
                {
                    DeviceId = d.Id,
                    Session = d.Session,
                    PhoneNumber = d.Number,
                    OpenedCount = d.OpenedCount,
                    ReplacedCount = d.ReplacedCount,
                    Connected = d.Live is not null,
                })
                .ToList();
        }
    }
}
