namespace Wagate.Engines;

/// <summary>A session's engine state as named values (Baileys: "creds" and one entry per signal
/// key; the sandbox: credentials and a counter). Engines change it with deltas, which the
/// runtime persists as they come and replays on start.</summary>
public sealed class SessionState
{
    private readonly Dictionary<string, byte[]> _values;

    public SessionState(IReadOnlyDictionary<string, byte[]>? values = null) =>
        _values = values is null ? new(StringComparer.Ordinal) : new(values, StringComparer.Ordinal);

    public static SessionState Empty => new();

    public IReadOnlyDictionary<string, byte[]> Values => _values;

    public bool IsEmpty => _values.Count == 0;

    public byte[]? Get(string key) => _values.GetValueOrDefault(key);

    public void Apply(StateDelta delta)
    {
        foreach (var (key, value) in delta.Changes)
        {
            if (value is null)
            {
                _values.Remove(key);
            }
            else
            {
                _values[key] = value;
            }
        }
    }
}

/// <summary>Changed values of a <see cref="SessionState"/>; a null value removes its key.</summary>
public sealed record StateDelta(IReadOnlyDictionary<string, byte[]?> Changes)
{
    /// <summary>One delta with the changes of both, the later winning.</summary>
    public StateDelta Then(StateDelta later)
    {
        var merged = new Dictionary<string, byte[]?>(Changes, StringComparer.Ordinal);
        foreach (var (key, value) in later.Changes)
        {
            merged[key] = value;
        }
        return new StateDelta(merged);
    }
}
