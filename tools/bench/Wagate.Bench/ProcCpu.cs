using System.Globalization;

namespace Wagate.Bench;

/// <summary>CPU time from Linux's /proc, for benchmarks that say where a machine's time went:
/// of a process with its children (those still running, and those it has reaped), of a server
/// found by its command line (PostgreSQL, s3rver and etcd are started by tools/bench/run, not by
/// the benchmark), and of the whole machine. In seconds; NaN when a process is not found.</summary>
internal static class ProcCpu
{
    /// <summary>USER_HZ: /proc counts CPU time in ticks of 1/100 s on Linux.</summary>
    private const double TicksPerSecond = 100;

    /// <summary>The first process whose arguments (argv) satisfy <paramref name="matches"/>.</summary>
    public static int? Find(Func<IReadOnlyList<string>, bool> matches)
    {
        foreach (var pid in Pids())
        {
            try
            {
                var argv = File.ReadAllText($"/proc/{pid}/cmdline").Split('\0', StringSplitOptions.RemoveEmptyEntries);
                if (argv.Length > 0 && matches(argv))
                {
                    return pid;
                }
            }
            catch (IOException)
            {
                // Gone meanwhile.
            }
        }
        return null;
    }

    /// <summary>Whether <paramref name="argv"/> has <paramref name="option"/> followed by <paramref name="value"/>.</summary>
    public static bool HasOption(IReadOnlyList<string> argv, string option, string value) =>
        Enumerable.Range(0, argv.Count - 1).Any(i => argv[i] == option && argv[i + 1] == value);

    /// <summary>CPU seconds of the process <paramref name="root"/> and every process under it,
    /// including children that ended and were reaped (counted in their parent's cutime and cstime).</summary>
    public static double OfTree(int? root)
    {
        if (root is not { } pid)
        {
            return double.NaN;
        }
        var all = Pids().Select(Read).OfType<Stat>().ToList();
        var byParent = all.ToLookup(s => s.Parent);
        var found = all.FirstOrDefault(s => s.Pid == pid);
        if (found is null)
        {
            return double.NaN;
        }
        var ticks = 0L;
        var pending = new Stack<Stat>([found]);
        while (pending.TryPop(out var stat))
        {
            ticks += stat.Ticks;
            foreach (var child in byParent[stat.Pid])
            {
                pending.Push(child);
            }
        }
        return ticks / TicksPerSecond;
    }

    /// <summary>Busy time of all cores since boot (/proc/stat: user, nice, system, irq, softirq, steal).</summary>
    public static double Machine()
    {
        var ticks = File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1)
            .Select(t => long.Parse(t, CultureInfo.InvariantCulture)).ToArray();
        return (ticks[0] + ticks[1] + ticks[2] + ticks[5] + ticks[6] + ticks[7]) / TicksPerSecond;
    }

    /// <param name="Ticks">utime + stime + cutime + cstime.</param>
    private sealed record Stat(int Pid, int Parent, long Ticks);

    private static IEnumerable<int> Pids() =>
        Directory.EnumerateDirectories("/proc").Select(Path.GetFileName).Where(n => n!.All(char.IsAsciiDigit)).Select(n => int.Parse(n!, CultureInfo.InvariantCulture));

    /// <summary>/proc/PID/stat: "pid (comm) state ppid ... utime stime cutime cstime ...", the
    /// fields after the command's closing parenthesis counted from the state.</summary>
    private static Stat? Read(int pid)
    {
        try
        {
            var text = File.ReadAllText($"/proc/{pid}/stat");
            var fields = text[(text.LastIndexOf(')') + 2)..].Split(' ');
            long Field(int i) => long.Parse(fields[i], CultureInfo.InvariantCulture);
            return new Stat(pid, (int)Field(1), Field(11) + Field(12) + Field(13) + Field(14));
        }
        catch (IOException)
        {
            return null; // gone meanwhile
        }
    }
}
