using System.Globalization;

namespace Wagate.Bench;

/// <summary>Reading a counter or gauge out of a process's /metrics (Prometheus' text format).</summary>
internal static class PrometheusText
{
    /// <summary>The sum of every series of <paramref name="name"/>, labelled or not.</summary>
    public static double Sum(string exposition, string name) => exposition.Split('\n')
        .Where(line => line.StartsWith(name, StringComparison.Ordinal) && line.Length > name.Length && line[name.Length] is ' ' or '{')
        .Sum(line => double.Parse(line[(line.LastIndexOf('}') is var brace and >= 0 ? brace + 1 : name.Length)..].Trim().Split(' ')[0], CultureInfo.InvariantCulture));
}
