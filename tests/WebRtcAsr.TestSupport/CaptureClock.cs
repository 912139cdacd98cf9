namespace WebRtcAsr.TestSupport;

/// <summary>
/// Maps a position in a captured audio track (samples since the capture started) to the time, on the page's clock,
/// at which that sample had been captured, from a tap's log of chunk arrivals (the track's delivered sample count at
/// the end of each chunk, and when the chunk reached the page).
/// <para>
/// A chunk's last sample was captured no later than the chunk arrived: arrival = capture + d, d ≥ 0 (the hop from
/// the capture thread to the page). The capture runs on a steady sample clock, so capture(p) = p / rate + C for one
/// constant C; each chunk gives an upper bound C ≤ arrival − end / rate, and the smallest bound among the chunks near
/// p (within <see cref="WindowSeconds"/>, which also absorbs slow drift between the two clocks) is C plus the
/// smallest delivery delay seen there. So <see cref="CaptureTimeMs"/> is late by that smallest delay: latencies
/// measured from it are short by at most that much (well under a millisecond on an idle page thread, a few ms when
/// every chunk in the window was held up).
/// </para>
/// </summary>
public sealed class CaptureClock
{
    /// <summary>Chunks within this many seconds of a position bound its capture time.</summary>
    public const double WindowSeconds = 1.0;

    private readonly int sampleRate;
    private readonly long[] ends;
    private readonly double[] arrivals;

    /// <param name="sampleRate">The track's rate.</param>
    /// <param name="chunks">Per chunk, in order: samples delivered by its end, and its arrival time (ms).</param>
    public CaptureClock(int sampleRate, IReadOnlyList<(long End, double ArrivalMs)> chunks)
    {
        ArgumentNullException.ThrowIfNull(chunks);
        if (sampleRate <= 0 || chunks.Count == 0)
        {
            throw new ArgumentException("a capture clock needs a sample rate and at least one chunk");
        }

        this.sampleRate = sampleRate;
        ends = [.. chunks.Select(c => c.End)];
        arrivals = [.. chunks.Select(c => c.ArrivalMs)];
    }

    /// <summary>Number of chunks logged.</summary>
    public int Chunks => ends.Length;

    /// <summary>Samples delivered in all.</summary>
    public long Samples => ends[^1];

    /// <summary>The page time (ms) by which sample <paramref name="position"/> had been captured.</summary>
    public double CaptureTimeMs(double position)
    {
        var window = WindowSeconds * sampleRate;
        var first = Array.BinarySearch(ends, (long)Math.Floor(position - window));
        first = first < 0 ? ~first : first;
        var bound = double.PositiveInfinity;
        for (var j = first; j < ends.Length && ends[j] <= position + window; j++)
        {
            bound = Math.Min(bound, arrivals[j] - ends[j] * 1000.0 / sampleRate);
        }

        if (double.IsPositiveInfinity(bound))
        {
            throw new ArgumentOutOfRangeException(nameof(position), position, $"no chunk within {WindowSeconds} s (the capture logged {Samples} samples)");
        }

        return position * 1000.0 / sampleRate + bound;
    }
}
