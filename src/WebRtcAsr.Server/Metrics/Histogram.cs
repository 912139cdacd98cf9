using System.Text;

namespace WebRtcAsr.Server.Metrics;

/// <summary>
/// Counts observations in fixed cumulative buckets (Prometheus "le" buckets, +Inf implied) with their sum.
/// Observing is a short search of the bounds and two interlocked operations; nothing is allocated.
/// </summary>
public sealed class Histogram : Metric
{
    private readonly double[] bounds;
    private readonly long[] counts;
    private long sumBits;
    private long count;

    public Histogram(string name, string help, IReadOnlyList<double> bucketBounds)
        : base(name, help, "histogram")
    {
        ArgumentNullException.ThrowIfNull(bucketBounds);
        if (bucketBounds.Count == 0)
        {
            throw new ArgumentException("a histogram needs at least one bucket", nameof(bucketBounds));
        }

        for (var i = 1; i < bucketBounds.Count; i++)
        {
            if (!(bucketBounds[i] > bucketBounds[i - 1]))
            {
                throw new ArgumentException("bucket bounds must increase", nameof(bucketBounds));
            }
        }

        bounds = [.. bucketBounds];
        counts = new long[bounds.Length + 1];
    }

    public IReadOnlyList<double> Bounds => bounds;

    public long Count => Interlocked.Read(ref count);

    public double Sum => BitConverter.Int64BitsToDouble(Interlocked.Read(ref sumBits));

    public void Observe(double value)
    {
        var i = Array.BinarySearch(bounds, value);
        if (i < 0)
        {
            i = ~i; // first bound above the value
        }

        Interlocked.Increment(ref counts[i]);
        Interlocked.Increment(ref count);
        long seen, next;
        do
        {
            seen = Interlocked.Read(ref sumBits);
            next = BitConverter.DoubleToInt64Bits(BitConverter.Int64BitsToDouble(seen) + value);
        }
        while (Interlocked.CompareExchange(ref sumBits, next, seen) != seen);
    }

    protected override void WriteSamples(StringBuilder text)
    {
        long cumulative = 0;
        for (var i = 0; i < bounds.Length; i++)
        {
            cumulative += Interlocked.Read(ref counts[i]);
            Sample(text, Name + "_bucket", $"le=\"{Format(bounds[i])}\"", cumulative);
        }

        cumulative += Interlocked.Read(ref counts[^1]);
        Sample(text, Name + "_bucket", "le=\"+Inf\"", cumulative);
        Sample(text, Name + "_sum", null, Sum);
        Sample(text, Name + "_count", null, cumulative);
    }
}
