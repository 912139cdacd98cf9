using System.Collections.Concurrent;
using System.Text;

namespace WebRtcAsr.Server.Metrics;

/// <summary>
/// A monotonically growing count, optionally split by one label. Adding is one interlocked operation;
/// a labelled child is made once per distinct value (keep label values few and fixed: reasons, not ids).
/// </summary>
public sealed class Counter : Metric
{
    private readonly string? labelName;
    private readonly ConcurrentDictionary<string, Cell> children = new(StringComparer.Ordinal);
    private readonly Cell unlabelled = new();

    public Counter(string name, string help, string? labelName = null)
        : base(name, help, "counter")
    {
        if (labelName is not null && !MetricNames.IsValidLabel(labelName))
        {
            throw new ArgumentException($"'{labelName}' is not a label name", nameof(labelName));
        }

        this.labelName = labelName;
    }

    /// <summary>The unlabelled total.</summary>
    public long Value => Interlocked.Read(ref unlabelled.Count);

    public void Add(long amount = 1)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(amount);
        Interlocked.Add(ref unlabelled.Count, amount);
    }

    /// <summary>Adds to the child with this label value.</summary>
    public void Add(string labelValue, long amount = 1)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(amount);
        if (labelName is null)
        {
            throw new InvalidOperationException($"{Name} has no label");
        }

        Interlocked.Add(ref children.GetOrAdd(labelValue, static _ => new Cell()).Count, amount);
    }

    /// <summary>The child's count (0 when never added).</summary>
    public long ValueOf(string labelValue) => children.TryGetValue(labelValue, out var cell) ? Interlocked.Read(ref cell.Count) : 0;

    protected override void WriteSamples(StringBuilder text)
    {
        if (labelName is null)
        {
            Sample(text, Name, null, Value);
            return;
        }

        foreach (var pair in children.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            Sample(text, Name, $"{labelName}=\"{MetricNames.EscapeLabelValue(pair.Key)}\"", Interlocked.Read(ref pair.Value.Count));
        }
    }

    private sealed class Cell
    {
        public long Count;
    }
}
