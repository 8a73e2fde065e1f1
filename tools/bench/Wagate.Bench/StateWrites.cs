namespace Wagate.Bench;

/// <summary>How a worker persisted session state over a stretch of a run, read from its /metrics
/// (the counters of Wagate.Worker's WorkerMetrics) before and after: database transactions, the
/// deltas they carried, and snapshot objects written to the blob store.</summary>
internal sealed record StateWrites(double Commits, double Deltas, double Snapshots)
{
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(10) };

    public static async Task<StateWrites> ReadAsync(IEnumerable<Uri> metrics)
    {
        var total = new StateWrites(0, 0, 0);
        foreach (var address in metrics)
        {
            var text = await Http.GetStringAsync(address);
            total += new StateWrites(PrometheusText.Sum(text, "wagate_state_commits_total"), PrometheusText.Sum(text, "wagate_state_deltas_total"), PrometheusText.Sum(text, "wagate_state_snapshots_total"));
        }
        return total;
    }

    public static StateWrites operator +(StateWrites a, StateWrites b) => new(a.Commits + b.Commits, a.Deltas + b.Deltas, a.Snapshots + b.Snapshots);

    public static StateWrites operator -(StateWrites a, StateWrites b) => new(a.Commits - b.Commits, a.Deltas - b.Deltas, a.Snapshots - b.Snapshots);

    /// <summary>The row of a table of state writes for <paramref name="messages"/> messages over <paramref name="seconds"/>.</summary>
    public string[] Row(string label, int messages, double seconds) =>
    [
        label,
        Table.Number(Commits / seconds, "0"), Table.Number(Snapshots / seconds, "0.0"),
        Table.Number(Commits * 1000 / messages, "0"), Table.Number(Deltas * 1000 / messages, "0"), Table.Number(Snapshots * 1000 / messages, "0.0"),
    ];

    public static readonly string[] Header =
        ["", "database commits/s", "blob writes/s", "database commits per 1,000 messages", "deltas per 1,000 messages", "blob writes per 1,000 messages"];
}
