using Wagate.Testing;

namespace Wagate.DevCluster.Tests;

/// <summary><see cref="Poll"/> with a patience of the test's choosing and a failure that says
/// what did not happen.</summary>
internal static class Waiting
{
    public static async Task UntilAsync(Func<Task<bool>> condition, TimeSpan patience, string expectation)
    {
        try
        {
            await Poll.UntilAsync(async () => await condition() ? expectation : null, patience);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"Not within {patience.TotalSeconds:0} s: {expectation}");
        }
    }
}
