using System.Globalization;

namespace Wagate.DevCluster.Tests;

/// <summary>This test process's live children, read from /proc: what a launcher left behind,
/// whether or not it still holds a handle to it.</summary>
internal static class ChildProcesses
{
    public static IReadOnlyList<int> Running()
    {
        var children = new List<int>();
        foreach (var entry in Directory.EnumerateDirectories("/proc"))
        {
            if (int.TryParse(Path.GetFileName(entry), NumberStyles.None, CultureInfo.InvariantCulture, out var id)
                && Status(id) is { } status && status.ParentId == Environment.ProcessId && status.State != 'Z')
            {
                children.Add(id);
            }
        }
        return children;
    }

    /// <summary>Whether the process exists and has not ended (a zombie has ended).</summary>
    public static bool IsRunning(int processId) => Status(processId) is { State: not 'Z' };

    private static (char State, int ParentId)? Status(int processId)
    {
        try
        {
            // "pid (comm) state ppid ...": the command may hold spaces and parentheses; the fields
            // after its last ')' do not.
            var stat = File.ReadAllText($"/proc/{processId}/stat");
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            return (fields[0][0], int.Parse(fields[1], CultureInfo.InvariantCulture));
        }
        catch (Exception gone) when (gone is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}
