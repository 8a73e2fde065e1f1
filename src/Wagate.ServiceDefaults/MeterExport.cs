using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Globalization;
using Prometheus;

namespace Wagate.ServiceDefaults;

/// <summary>Shows the instruments of our own meters (named <see cref="ServiceDefaults.TelemetryName"/>)
/// on /metrics as the Prometheus types they are, while OTLP carries the same instruments: each
/// metric is defined once, as a System.Diagnostics.Metrics instrument. prometheus-net's meter
/// adapter (which exports the runtime's and libraries' meters) is not used for them: it shows a
/// counter as a gauge, so wagate_messages_total would fail promtool and rate() would not know it
/// is a counter, and it drops any series not updated for five minutes, so a counter of rare
/// failures would vanish and later start again from zero.
/// Names follow OpenTelemetry's rules for Prometheus: dots become underscores, a unit of seconds
/// adds _seconds (other units are annotations such as {message}, which names leave out), and a
/// counter ends in _total; tags become labels. Every meter of that name in the process counts (a
/// single node's gateway and workers, or the many hosts of one test process): series with the
/// same labels add up.</summary>
internal static class MeterExport
{
    private static readonly MeterListener Listener = new();
    /// <summary>By Prometheus name: the instruments of one name (from several meters) add up.</summary>
    private static readonly ConcurrentDictionary<string, GaugeExport> Gauges = new(StringComparer.Ordinal);
    private static readonly Lock Observing = new();
    private static IMetricFactory _factory = Metrics.DefaultFactory;

    /// <summary>Exports into <paramref name="registry"/> from now until the process ends; once
    /// per process (<see cref="MetricsExposition.Configure"/>), as there is one /metrics a process.</summary>
    public static void Start(CollectorRegistry registry)
    {
        _factory = Metrics.WithCustomRegistry(registry);
        Listener.InstrumentPublished = Publish;
        Listener.SetMeasurementEventCallback<long>((_, value, tags, export) => ((Export)export!).Record(value, tags));
        Listener.SetMeasurementEventCallback<int>((_, value, tags, export) => ((Export)export!).Record(value, tags));
        Listener.SetMeasurementEventCallback<double>((_, value, tags, export) => ((Export)export!).Record(value, tags));
        Listener.Start();
        // Gauges are observed when scraped, as OpenTelemetry's readers do when they collect.
        registry.AddBeforeCollectCallback(Observe);
    }

    private static void Publish(Instrument instrument, MeterListener listener)
    {
        if (instrument.Meter.Name != ServiceDefaults.TelemetryName)
        {
            return;
        }
        var name = instrument.Name.Replace('.', '_') + (instrument.Unit == "s" ? "_seconds" : "");
        // promtool warns about a metric without help: every instrument of ours says what it counts.
        var help = instrument.Description is { Length: > 0 } description
            ? description
            : throw new InvalidOperationException($"The instrument {instrument.Name} needs a description: it is the metric's help.");
        Export? export = instrument switch
        {
            Counter<long> or Counter<int> or Counter<double> => new CounterExport(_factory, name + "_total", help),
            Histogram<double> histogram => new HistogramExport(_factory, name, help, histogram.Advice?.HistogramBucketBoundaries),
            ObservableGauge<long> or ObservableGauge<int> or ObservableGauge<double> => Gauges.GetOrAdd(name, _ => new GaugeExport(_factory, name, help)),
            _ => throw new InvalidOperationException($"{instrument.Name} is a {instrument.GetType().Name}, which /metrics does not show."),
        };
        listener.EnableMeasurementEvents(instrument, export);
    }

    private static void Observe()
    {
        // Two scrapes at once must not mix their rounds.
        lock (Observing)
        {
            Listener.RecordObservableInstruments();
            foreach (var gauge in Gauges.Values)
            {
                gauge.Show();
            }
        }
    }

    /// <summary>Sorted by name, as a Prometheus series' labels are, whatever order the tags came in.</summary>
    private static (string[] Names, string[] Values) Labels(ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var sorted = tags.ToArray();
        Array.Sort(sorted, (a, b) => string.CompareOrdinal(a.Key, b.Key));
        return ([.. sorted.Select(tag => tag.Key.Replace('.', '_'))],
            [.. sorted.Select(tag => Convert.ToString(tag.Value, CultureInfo.InvariantCulture) ?? "")]);
    }

    private abstract class Export
    {
        public abstract void Record(double value, ReadOnlySpan<KeyValuePair<string, object?>> tags);
    }

    private sealed class CounterExport(IMetricFactory factory, string name, string help) : Export
    {
        private readonly Series<Counter.Child> _series = new((names, values) => factory.CreateCounter(name, help, names).WithLabels(values));

        public override void Record(double value, ReadOnlySpan<KeyValuePair<string, object?>> tags) => _series.Of(tags).Inc(value);
    }

    private sealed class HistogramExport(IMetricFactory factory, string name, string help, IReadOnlyList<double>? buckets) : Export
    {
        private readonly Series<Histogram.Child> _series = new((names, values) => factory.CreateHistogram(name, help, names,
            new HistogramConfiguration { Buckets = buckets is null ? null : [.. buckets] }).WithLabels(values));

        public override void Record(double value, ReadOnlySpan<KeyValuePair<string, object?>> tags) => _series.Of(tags).Observe(value);
    }

    /// <summary>What the gauges of one name reported in this round of observations, summed by
    /// labels; a series none reported this time (a state no session is in any more, a worker
    /// gone) leaves /metrics rather than showing its last value for ever.</summary>
    private sealed class GaugeExport(IMetricFactory factory, string name, string help) : Export
    {
        private readonly Dictionary<string, (string[] Names, string[] Values, double Value)> _round = new(StringComparer.Ordinal);
        private Dictionary<string, (string[] Names, string[] Values, double Value)> _shown = new(StringComparer.Ordinal);

        /// <summary>Called only while observing, under its lock.</summary>
        public override void Record(double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
        {
            var (names, values) = Labels(tags);
            var key = string.Join('\u001f', names) + '\u001e' + string.Join('\u001f', values);
            _round[key] = (names, values, value + (_round.TryGetValue(key, out var earlier) ? earlier.Value : 0));
        }

        public void Show()
        {
            foreach (var (names, values, value) in _round.Values)
            {
                factory.CreateGauge(name, help, names).WithLabels(values).Set(value);
            }
            foreach (var (key, (names, values, _)) in _shown)
            {
                if (!_round.ContainsKey(key))
                {
                    factory.CreateGauge(name, help, names).RemoveLabelled(values);
                }
            }
            _shown = new Dictionary<string, (string[], string[], double)>(_round, StringComparer.Ordinal);
            _round.Clear();
        }
    }

    /// <summary>The Prometheus series of one instrument, found again without allocating: recording
    /// a measurement on a hot path compares the tags with those of the series it knows (a handful:
    /// our tags take few values) and creates a series only for tags it has not seen.</summary>
    private sealed class Series<TChild>(Func<string[], string[], TChild> create) where TChild : class
    {
        private readonly Lock _adding = new();
        private (KeyValuePair<string, object?>[] Tags, TChild Child)[] _known = [];

        public TChild Of(ReadOnlySpan<KeyValuePair<string, object?>> tags)
        {
            if (Find(Volatile.Read(ref _known), tags) is { } found)
            {
                return found;
            }
            lock (_adding)
            {
                if (Find(_known, tags) is { } added)
                {
                    return added;
                }
                var (names, values) = Labels(tags);
                var child = create(names, values);
                Volatile.Write(ref _known, [.. _known, (tags.ToArray(), child)]);
                return child;
            }
        }

        private static TChild? Find((KeyValuePair<string, object?>[] Tags, TChild Child)[] known, ReadOnlySpan<KeyValuePair<string, object?>> tags)
        {
            foreach (var (knownTags, child) in known)
            {
                if (Same(knownTags, tags))
                {
                    return child;
                }
            }
            return null;
        }

        private static bool Same(KeyValuePair<string, object?>[] known, ReadOnlySpan<KeyValuePair<string, object?>> tags)
        {
            if (known.Length != tags.Length)
            {
                return false;
            }
            for (var i = 0; i < known.Length; i++)
            {
                if (!string.Equals(known[i].Key, tags[i].Key, StringComparison.Ordinal) || !Equals(known[i].Value, tags[i].Value))
                {
                    return false;
                }
            }
            return true;
        }
    }
}
