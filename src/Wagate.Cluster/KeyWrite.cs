namespace Wagate.Cluster;

/// <summary>One write of a conditional commit: a put (bound to <see cref="LeaseId"/>, 0 for none), or a
/// delete when <see cref="Value"/> is null.</summary>
public sealed record KeyWrite(string Key, byte[]? Value, long LeaseId = 0)
{
    public static KeyWrite Delete(string key) => new(key, null);
}
