using System.Globalization;

namespace Wagate.DevCluster.Tests.Telemetry;

/// <summary>The samples of a Prometheus text exposition, keyed <c>name{label=value,...}</c> in
/// the order prometheus-net writes labels (sorted by name), e.g.
/// <c>wagate_messages_total{direction=outbound,state=sent}</c>; sorted, so two readings compare
/// as equal sequences and a difference reads line by line.</summary>
internal static class Scrape
{
    private static readonly HttpClient Http = new();

    /// <summary>The samples of <paramref name="families"/> (names of metrics, or of a histogram's
    /// _count series) on the page at <paramref name="metrics"/>.</summary>
    public static async Task<SortedDictionary<string, double>> ReadAsync(Uri metrics, params string[] families) =>
        Samples(await Http.GetStringAsync(metrics), families);

    public static SortedDictionary<string, double> Samples(string exposition, params string[] families)
    {
        var samples = new SortedDictionary<string, double>(StringComparer.Ordinal);
        foreach (var line in exposition.Split('\n'))
        {
            if (line.Length == 0 || line[0] == '#')
            {
                continue;
            }
            var space = line.LastIndexOf(' ');
            var series = line[..space];
            var brace = series.IndexOf('{');
            var name = brace < 0 ? series : series[..brace];
            if (families.Contains(name))
            {
                samples[brace < 0 ? name : $"{name}{{{series[(brace + 1)..^1].Replace("\"", "", StringComparison.Ordinal)}}}"] =
                    double.Parse(line[(space + 1)..], CultureInfo.InvariantCulture);
            }
        }
        return samples;
    }
}
