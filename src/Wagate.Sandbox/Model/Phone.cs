namespace Wagate.Sandbox.Model;

/// <summary>A simulated phone: the primary device of a number, and a contact to message.</summary>
internal sealed class Phone(string tenant, string number, DateTimeOffset createTime)
{
    public string Tenant { get; } = tenant;
    public string Number { get; } = number;
    public DateTimeOffset CreateTime { get; } = createTime;
    public bool Online { get; set; } = true;
    /// <summary>What the phone sent and received, oldest first.</summary>
    public List<MessageRecord> Messages { get; } = [];
}
