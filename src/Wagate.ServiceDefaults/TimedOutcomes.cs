using System.Diagnostics.Metrics;

namespace Wagate.ServiceDefaults;

/// <summary>Tries at something (a webhook POST, a write of session state) counted and timed by
/// how each ended, the label <c>outcome</c>: a counter of tries (on /metrics with _total) and a
/// histogram of their time in seconds (with _seconds), so that a rate of failures and the time
/// they took read side by side. Recording allocates nothing.</summary>
public sealed class TimedOutcomes
{
    private readonly Counter<long> _tries;
    private readonly Histogram<double> _seconds;

    /// <param name="names">The counter's, plural, and the histogram's, singular: ("wagate.state.writes", "wagate.state.write").</param>
    /// <param name="tries">What the counter counts, outcomes named.</param>
    /// <param name="time">What the histogram times.</param>
    /// <param name="buckets">Upper bounds in seconds, to the longest a try may take.</param>
    public TimedOutcomes(Meter meter, (string Counted, string Timed) names, string tries, string time, IReadOnlyList<double> buckets)
    {
        ArgumentNullException.ThrowIfNull(meter);
        _tries = meter.CreateCounter<long>(names.Counted, "{try}", tries);
        _seconds = meter.CreateHistogram<double>(names.Timed, "s", time, tags: null, new InstrumentAdvice<double> { HistogramBucketBoundaries = buckets });
    }

    /// <param name="outcome">One of a few fixed strings: it is a label value.</param>
    public void Record(string outcome, TimeSpan took)
    {
        var tag = new KeyValuePair<string, object?>("outcome", outcome);
        _tries.Add(1, tag);
        _seconds.Record(took.TotalSeconds, tag);
    }
}
