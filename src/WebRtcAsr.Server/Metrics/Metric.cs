using System.Globalization;
using System.Text;

namespace WebRtcAsr.Server.Metrics;

/// <summary>One time series family in the Prometheus text format: a name, help, a type and its samples.</summary>
public abstract class Metric
{
    protected Metric(string name, string help, string type)
    {
        if (!MetricNames.IsValid(name))
        {
            throw new ArgumentException($"'{name}' is not a Prometheus metric name", nameof(name));
        }

        Name = name;
        Help = help;
        Type = type;
    }

    public string Name { get; }

    public string Help { get; }

    /// <summary>counter, gauge or histogram.</summary>
    public string Type { get; }

    /// <summary>Writes the HELP and TYPE lines and the samples.</summary>
    public void WriteTo(StringBuilder text)
    {
        ArgumentNullException.ThrowIfNull(text);
        text.Append("# HELP ").Append(Name).Append(' ').Append(MetricNames.EscapeHelp(Help)).Append('\n');
        text.Append("# TYPE ").Append(Name).Append(' ').Append(Type).Append('\n');
        WriteSamples(text);
    }

    protected abstract void WriteSamples(StringBuilder text);

    /// <summary>A sample line: name{labels} value.</summary>
    protected static void Sample(StringBuilder text, string name, string? labels, double value)
    {
        text.Append(name);
        if (!string.IsNullOrEmpty(labels))
        {
            text.Append('{').Append(labels).Append('}');
        }

        text.Append(' ').Append(Format(value)).Append('\n');
    }

    protected static string Format(double value) => value switch
    {
        double.PositiveInfinity => "+Inf",
        double.NegativeInfinity => "-Inf",
        _ when double.IsNaN(value) => "NaN",
        _ => value.ToString("R", CultureInfo.InvariantCulture),
    };
}
