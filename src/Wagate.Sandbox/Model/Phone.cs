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
    /// <summary>The numbers this phone shows as typing or recording, and since when; not saved,
    /// like every connection's state.</summary>
    public Dictionary<string, DateTimeOffset> TypingSince { get; } = new(StringComparer.Ordinal);
}
