namespace WebRtcAsr.Transcribe;

/// <summary>Per-chunk processing latencies, summarised as percentiles.</summary>
internal sealed class LatencyStats
{
    private readonly List<double> samples = [];

    public int Count => samples.Count;

    public void Add(double milliseconds) => samples.Add(milliseconds);

    public double Percentile(double p)
    {
        if (samples.Count == 0)
        {
            return 0;
        }

        var sorted = samples.Order().ToArray();
        var rank = (int)Math.Ceiling(p / 100 * sorted.Length) - 1;
        return sorted[Math.Clamp(rank, 0, sorted.Length - 1)];
    }

    public double Max => samples.Count == 0 ? 0 : samples.Max();
}
