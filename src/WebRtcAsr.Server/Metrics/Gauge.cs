using System.Text;

namespace WebRtcAsr.Server.Metrics;

/// <summary>A value that goes up and down: set directly, moved by Increment/Decrement, or read from a callback at scrape time.</summary>
public sealed class Gauge : Metric
{
    private readonly Func<double>? read;
    private long bits;

    public Gauge(string name, string help, Func<double>? read = null)
        : base(name, help, "gauge")
    {
        this.read = read;
    }

    public double Value => read?.Invoke() ?? BitConverter.Int64BitsToDouble(Interlocked.Read(ref bits));

    public void Set(double value) => Interlocked.Exchange(ref bits, BitConverter.DoubleToInt64Bits(value));

    public void Increment() => Add(1);

    public void Decrement() => Add(-1);

    public void Add(double delta)
    {
        long seen, next;
        do
        {
            seen = Interlocked.Read(ref bits);
            next = BitConverter.DoubleToInt64Bits(BitConverter.Int64BitsToDouble(seen) + delta);
        }
        while (Interlocked.CompareExchange(ref bits, next, seen) != seen);
    }

    protected override void WriteSamples(StringBuilder text) => Sample(text, Name, null, Value);
}
