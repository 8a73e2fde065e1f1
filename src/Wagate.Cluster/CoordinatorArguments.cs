namespace Wagate.Cluster;

/// <summary>Argument rules every store applies alike, before any I/O.</summary>
internal static class CoordinatorArguments
{
    /// <summary>etcd refuses a transaction that writes one key twice; the single node refuses it too,
    /// so code that works on one store works on the other.</summary>
    public static void EnsureEachKeyOnce(IReadOnlyList<KeyWrite> writes)
    {
        var keys = new HashSet<string>(StringComparer.Ordinal);
        foreach (var write in writes)
        {
            if (!keys.Add(write.Key))
            {
                throw new ArgumentException($"Key '{write.Key}' is written more than once.", nameof(writes));
            }
        }
    }

    /// <summary>Keys to create at once: each once, each with a value, at most <see cref="ICoordinator.MaxKeysPerCreate"/>.</summary>
    public static void EnsureCreatable(IReadOnlyList<KeyWrite> keys)
    {
        ArgumentOutOfRangeException.ThrowIfZero(keys.Count);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(keys.Count, ICoordinator.MaxKeysPerCreate);
        EnsureEachKeyOnce(keys);
        foreach (var key in keys)
        {
            if (key.Value is null)
            {
                throw new ArgumentException($"Key '{key.Key}' has no value to create it with.", nameof(keys));
            }
            EnsureLease(key.LeaseId);
        }
    }

    /// <summary>0 means no lease.</summary>
    public static void EnsureLease(long leaseId) => ArgumentOutOfRangeException.ThrowIfNegative(leaseId);

    public static void EnsureFencingToken(long fencingToken) =>
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(fencingToken);
}
