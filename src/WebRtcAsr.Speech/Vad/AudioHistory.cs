namespace WebRtcAsr.Speech.Vad;

/// <summary>
/// The last <see cref="Capacity"/> samples of a stream, addressed by stream position (a ring buffer).
/// It lets the gate hand the recognizer audio from before the moment speech was confirmed.
/// </summary>
internal sealed class AudioHistory
{
    private readonly float[] _ring;

    public AudioHistory(int capacity)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(capacity);
        _ring = new float[capacity];
    }

    public int Capacity => _ring.Length;

    /// <summary>Stream position just after the last sample written.</summary>
    public long End { get; private set; }

    /// <summary>Oldest stream position still held.</summary>
    public long Oldest => Math.Max(0, End - _ring.Length);

    public void Write(ReadOnlySpan<float> samples)
    {
        if (samples.Length > _ring.Length) samples = samples[^_ring.Length..];   // only the newest fit
        int at = (int)(End % _ring.Length);
        int first = Math.Min(samples.Length, _ring.Length - at);
        samples[..first].CopyTo(_ring.AsSpan(at));
        samples[first..].CopyTo(_ring);
        End += samples.Length;
    }

    /// <summary>
    /// The held samples of [<paramref name="from"/>, <paramref name="to"/>) as at most two spans
    /// (the ring wraps); the range must lie within [<see cref="Oldest"/>, <see cref="End"/>].
    /// </summary>
    public void Slice(long from, long to, out ReadOnlySpan<float> first, out ReadOnlySpan<float> second)
    {
        if (from < Oldest || to > End || from > to) throw new ArgumentOutOfRangeException(nameof(from), $"[{from}, {to}) is not within the held [{Oldest}, {End})");
        int length = (int)(to - from);
        int at = (int)(from % _ring.Length);
        int head = Math.Min(length, _ring.Length - at);
        first = _ring.AsSpan(at, head);
        second = _ring.AsSpan(0, length - head);
    }

    public void Clear()
    {
        Array.Clear(_ring);
        End = 0;
    }
}
