using System.Text;

namespace WebRtcAsr.Server.Metrics;

/// <summary>The metrics of a process, written in Prometheus' text exposition format (version 0.0.4).</summary>
public sealed class MetricsRegistry
{
    /// <summary>Content type of <see cref="WriteText"/>'s output.</summary>
    public const string ContentType = "text/plain; version=0.0.4; charset=utf-8";

    private readonly object gate = new();
    private readonly List<Metric> metrics = [];
    private readonly HashSet<string> names = new(StringComparer.Ordinal);

    public T Register<T>(T metric)
        where T : Metric
    {
        ArgumentNullException.ThrowIfNull(metric);
        lock (gate)
        {
            if (!names.Add(metric.Name))
            {
                throw new ArgumentException($"a metric named {metric.Name} is already registered", nameof(metric));
            }

            metrics.Add(metric);
        }

        return metric;
    }

    public Counter Counter(string name, string help, string? labelName = null) => Register(new Counter(name, help, labelName));

    public Gauge Gauge(string name, string help, Func<double>? read = null) => Register(new Gauge(name, help, read));

    public Histogram Histogram(string name, string help, IReadOnlyList<double> buckets) => Register(new Histogram(name, help, buckets));

    public string WriteText()
    {
        var text = new StringBuilder(4096);
        Metric[] snapshot;
        lock (gate)
        {
            snapshot = [.. metrics];
        }

        foreach (var metric in snapshot)
        {
            metric.WriteTo(text);
        }

        return text.ToString();
    }
}
