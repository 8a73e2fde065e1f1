namespace Wagate.Settings;

/// <summary>How every host's Program runs: a setting it cannot use stops it before it serves
/// anything, with one line naming the setting and exit code 2, instead of a stack trace.</summary>
public static class HostRun
{
    public const int InvalidSettings = 2;

    public static async Task<int> RunAsync(Func<Task> run)
    {
        ArgumentNullException.ThrowIfNull(run);
        try
        {
            await run();
            return 0;
        }
        catch (InvalidSettingException invalid)
        {
            await Console.Error.WriteLineAsync($"Cannot start: {invalid.Message}.");
            return InvalidSettings;
        }
    }
}
