namespace Wagate.Sandbox.Model;

/// <summary>An unlinked device showing QR references, waiting for a scan or a pairing code.</summary>
internal sealed class Linking(DeviceLink link, string tenant, string session)
{
    public DeviceLink Link { get; } = link;
    public string Tenant { get; } = tenant;
    public string Session { get; } = session;
    public string Reference { get; set; } = "";
    public int Sequence { get; set; }
    public ITimer? Timer { get; set; }
    public string? PairingCode { get; set; }
    public string? PairingPhone { get; set; }
    public DateTimeOffset PairingExpires { get; set; }
}
