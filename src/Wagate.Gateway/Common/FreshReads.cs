using System.Collections.Concurrent;

namespace Wagate.Gateway.Common;

/// <summary>Reads of the database kept for at most a freshness, per key, with the tenant each
/// belongs to: what a busy caller asks on every call (its credential, its session's plan) is read
/// once per freshness instead. What the reader finds missing is not kept, so lookups of keys that
/// do not exist cannot fill it; past <see cref="PruneAbove"/> entries the stale ones are dropped.
/// A change made on this replica forgets the tenant's entries at once (<see cref="ForgetTenant"/>);
/// one made on another is seen within the freshness.</summary>
public sealed class FreshReads<TValue>(TimeProvider clock, TimeSpan freshness, Func<TValue, string> tenantOf) where TValue : class
{
    private const int PruneAbove = 10_000;

    private readonly ConcurrentDictionary<string, (TValue Value, string TenantId, DateTimeOffset ReadAt)> _entries = new(StringComparer.Ordinal);

    /// <summary>The value of <paramref name="key"/>, from <paramref name="read"/> when not fresh here.</summary>
    public async Task<TValue?> GetAsync(string key, Func<Task<TValue?>> read)
    {
        var now = clock.GetUtcNow();
        if (_entries.TryGetValue(key, out var cached) && now - cached.ReadAt < freshness)
        {
            return cached.Value;
        }
        var found = await read();
        if (found is null)
        {
            _entries.TryRemove(key, out _);
            return null;
        }
        if (_entries.Count > PruneAbove)
        {
            foreach (var (staleKey, _) in _entries.Where(e => now - e.Value.ReadAt >= freshness))
            {
                _entries.TryRemove(staleKey, out _);
            }
        }
        _entries[key] = (found, tenantOf(found), now);
        return found;
    }

    /// <summary>Reads <paramref name="key"/> again at its next use.</summary>
    public void Forget(string key) => _entries.TryRemove(key, out _);

    /// <summary>Reads the tenant's entries again at their next use.</summary>
    public void ForgetTenant(string tenantId)
    {
        foreach (var (key, _) in _entries.Where(e => e.Value.TenantId == tenantId))
        {
            _entries.TryRemove(key, out _);
        }
    }
}
