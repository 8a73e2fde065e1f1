using System.Collections.Concurrent;

namespace Wagate.Gateway.Security;

/// <summary>Limits failed logins per account and per client address within a sliding window, so
/// a password cannot be guessed by brute force against one account, nor sprayed across many
/// accounts from one address. Counters live in this process: with several gateway replicas
/// each enforces its own limit, which multiplies the allowance by the replica count but keeps
/// the protection.</summary>
public sealed class LoginThrottle(TimeProvider clock, LoginThrottle.Limits limits)
{
    public sealed record Limits(int PerAccount, int PerAddress, TimeSpan Window)
    {
        public static readonly Limits Default = new(PerAccount: 5, PerAddress: 30, Window: TimeSpan.FromMinutes(15));
    }

    private const int MaxTrackedKeys = 100_000;
    private readonly ConcurrentDictionary<string, Queue<DateTimeOffset>> _failures = new(StringComparer.Ordinal);

    /// <summary>How long the caller must wait, or null if it may try now.</summary>
    public TimeSpan? RetryAfter(string account, string address)
    {
        var now = clock.GetUtcNow();
        return Max(Wait(AccountKey(account), limits.PerAccount, now), Wait(AddressKey(address), limits.PerAddress, now));
    }

    public void RecordFailure(string account, string address)
    {
        var now = clock.GetUtcNow();
        if (_failures.Count > MaxTrackedKeys)
        {
            Prune(now);
        }
        Record(AccountKey(account), now);
        Record(AddressKey(address), now);
    }

    /// <summary>A successful login clears the account's failures (not the address's: one good
    /// password must not reopen spraying from that address).</summary>
    public void RecordSuccess(string account) => _failures.TryRemove(AccountKey(account), out _);

    private TimeSpan? Wait(string key, int limit, DateTimeOffset now)
    {
        if (!_failures.TryGetValue(key, out var times))
        {
            return null;
        }
        lock (times)
        {
            Expire(times, now);
            return times.Count >= limit ? times.Peek() + limits.Window - now : null;
        }
    }

    private void Record(string key, DateTimeOffset now)
    {
        var times = _failures.GetOrAdd(key, _ => new Queue<DateTimeOffset>());
        lock (times)
        {
            Expire(times, now);
            times.Enqueue(now);
        }
    }

    private void Expire(Queue<DateTimeOffset> times, DateTimeOffset now)
    {
        while (times.Count > 0 && times.Peek() + limits.Window <= now)
        {
            times.Dequeue();
        }
    }

    private void Prune(DateTimeOffset now)
    {
        foreach (var (key, times) in _failures)
        {
            lock (times)
            {
                Expire(times, now);
                if (times.Count == 0)
                {
                    _failures.TryRemove(key, out _);
                }
            }
        }
    }

    private static TimeSpan? Max(TimeSpan? a, TimeSpan? b) => a is null ? b : b is null ? a : a > b ? a : b;

    private static string AccountKey(string account) => "account:" + account;

    private static string AddressKey(string address) => "address:" + address;
}
