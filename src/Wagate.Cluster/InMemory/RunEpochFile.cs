namespace Wagate.Cluster;

/// <summary>Counts the runs of a single node in a file of its data directory, so each run's memory
/// coordinator can start above every revision an earlier run handed out: fencing tokens (create
/// revisions) then only rise across restarts, whatever the clock says.</summary>
public static class RunEpochFile
{
    /// <summary>Revisions one run may spend before it would reach the next run's start (2^40, about
    /// a trillion); 2^23 runs fit in a long above it.</summary>
    public const int RevisionBits = 40;

    /// <summary>Records one more run, durably, before any token of it is handed out, and returns the
    /// revision that run's coordinator starts after.</summary>
    public static long BeginRun(string path)
    {
        var previous = File.Exists(path) ? Parse(path, File.ReadAllText(path)) : 0;
        var epoch = previous + 1;
        if (epoch >= 1L << (63 - RevisionBits))
        {
            throw new InvalidOperationException($"{path} has counted {previous} runs, the most it can.");
        }

        // Written beside and renamed over, so a crash leaves the old count or the new one, never half.
        var next = path + ".next";
        using (var stream = new FileStream(next, FileMode.Create, FileAccess.Write, FileShare.None))
        {
            using var writer = new StreamWriter(stream);
            writer.Write(epoch);
            writer.Flush();
            stream.Flush(flushToDisk: true);
        }
        File.Move(next, path, overwrite: true);
        return epoch << RevisionBits;
    }

    private static long Parse(string path, string text) =>
        long.TryParse(text.Trim(), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var epoch)
            ? epoch
            : throw new InvalidDataException($"{path} should hold the number of runs so far, not '{text.Trim()}'; restore it from a backup, or set it above every run's count.");
}
