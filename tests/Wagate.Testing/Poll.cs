namespace Wagate.Testing;

/// <summary>Waits for a condition that becomes true on another thread or process, with no
/// signal to await: checks it again and again until it holds or the guard runs out.</summary>
public static class Poll
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(10);

    /// <summary>Returns once <paramref name="condition"/> holds; leaves it to the caller's own
    /// assertion to fail when it never does.</summary>
    public static Task UntilAsync(Func<bool> condition) => UntilAsync(() => Task.FromResult(condition()));

    /// <summary>The same for a condition that must ask a server.</summary>
    public static async Task UntilAsync(Func<Task<bool>> condition)
    {
        using var guard = new CancellationTokenSource(Patience);
        while (!await condition() && !guard.IsCancellationRequested)
        {
            await Task.Delay(Interval, CancellationToken.None);
        }
    }

    /// <summary>Returns the first non-null result of <paramref name="probe"/>; throws
    /// <see cref="TimeoutException"/> when none comes before the guard (default 10 s) runs out.</summary>
    public static async Task<T> UntilAsync<T>(Func<Task<T?>> probe, TimeSpan? patience = null) where T : class
    {
        using var guard = new CancellationTokenSource(patience ?? Patience);
        while (!guard.IsCancellationRequested)
        {
            if (await probe() is { } result)
            {
                return result;
            }
            await Task.Delay(Interval, CancellationToken.None);
        }
        throw new TimeoutException("The awaited condition did not come about.");
    }
}
