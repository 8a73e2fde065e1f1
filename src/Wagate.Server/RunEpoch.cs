using System.Globalization;
using System.Text;
using Wagate.Storage;

namespace Wagate.Server;

/// <summary>Counts the runs of a single node in its blob store, so each run's memory coordinator can
/// start above every revision an earlier run handed out: fencing tokens (create revisions) then only
/// rise across restarts, whatever the clock says. The blob store's write is already atomic and
/// durable, so the count is never half written nor lost on a crash.</summary>
public static class RunEpoch
{
    public const string Key = "node/run-epoch";

    /// <summary>Revisions one run may spend before it would reach the next run's start (2^40, about
    /// a trillion).</summary>
    public const int RevisionBits = 40;

    /// <summary>The first run counted starts at 2^62, above every token a single node handed out
    /// before runs were counted: those were clock ticks (DateTime.Ticks, always below 2^62), and
    /// a session's writes are refused under a token below the one that last claimed it. That
    /// leaves 2^22 runs.</summary>
    public const long FirstEpoch = 1L << (62 - RevisionBits);

    /// <summary>Records one more run before any token of it is handed out, and returns the revision
    /// that run's coordinator starts after.</summary>
    public static async Task<long> BeginRunAsync(IBlobStore blobs, CancellationToken cancellationToken = default)
    {
        var previous = await blobs.GetAsync(Key, cancellationToken) is { } stored ? Parse(Encoding.ASCII.GetString(stored)) : 0;
        var epoch = Math.Max(previous + 1, FirstEpoch);
        if (epoch >= 1L << (63 - RevisionBits))
        {
            throw new InvalidOperationException($"{Key} has counted {previous} runs, the most it can.");
        }
        await blobs.PutAsync(Key, Encoding.ASCII.GetBytes(epoch.ToString(CultureInfo.InvariantCulture)), cancellationToken);
        return epoch << RevisionBits;
    }

    private static long Parse(string text) =>
        long.TryParse(text.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var epoch)
            ? epoch
            : throw new InvalidDataException($"{Key} should hold the number of runs so far, not '{text.Trim()}'; restore it from a backup, or set it above every run's count.");
}
