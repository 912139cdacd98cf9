namespace WebRtcAsr.Speech.Vad;

/// <summary>
/// Maps positions in the gated audio (what the recognizer was fed, counted from its first sample)
/// back to stream positions, across the silences the gate left out. Feed it every
/// <see cref="IVoiceActivitySink.OnGatedAudio"/> call; ask it for a word's start and end. It keeps the
/// last <see cref="MaxRuns"/> contiguous runs; older positions map through the oldest run kept.
/// </summary>
/// <remarks>
/// Within a run, stream = run.StreamStart + (gated − run.GatedStart). A recognizer that reports a
/// word at gated sample g (frames × frame shift) gives the caption stream sample ToStreamSample(g).
/// </remarks>
public sealed class GatedTimeline
{
    /// <summary>Runs kept by default: far more gaps than there are words in flight.</summary>
    public const int DefaultMaxRuns = 64;

    private readonly long[] _gatedStarts;
    private readonly long[] _streamStarts;
    private int _first;   // index of the oldest run in the ring
    private int _count;

    public GatedTimeline(int maxRuns = DefaultMaxRuns)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxRuns);
        _gatedStarts = new long[maxRuns];
        _streamStarts = new long[maxRuns];
    }

    public int MaxRuns => _gatedStarts.Length;

    /// <summary>Gated samples appended so far.</summary>
    public long GatedLength { get; private set; }

    /// <summary>Records that the next <paramref name="length"/> gated samples are the stream's from <paramref name="streamSample"/> on.</summary>
    public void Append(long streamSample, int length)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        if (length == 0) return;
        if (_count > 0)
        {
            int last = (_first + _count - 1) % MaxRuns;
            long lastStreamEnd = _streamStarts[last] + (GatedLength - _gatedStarts[last]);
            if (streamSample < lastStreamEnd) throw new ArgumentOutOfRangeException(nameof(streamSample), streamSample, $"gated audio must move forward in the stream (the last run ended at {lastStreamEnd})");
            if (streamSample == lastStreamEnd)
            {
                GatedLength += length;
                return;
            }
        }
        if (_count == MaxRuns)
        {
            _first = (_first + 1) % MaxRuns;
            _count--;
        }
        int at = (_first + _count) % MaxRuns;
        _gatedStarts[at] = GatedLength;
        _streamStarts[at] = streamSample;
        _count++;
        GatedLength += length;
    }

    /// <summary>The stream position of gated position <paramref name="gatedSample"/> (which may be the end, <see cref="GatedLength"/>).</summary>
    public long ToStreamSample(long gatedSample)
    {
        if (_count == 0) return gatedSample;
        // Newest first: recognizers ask about recent audio.
        for (int i = _count - 1; i >= 0; i--)
        {
            int at = (_first + i) % MaxRuns;
            if (gatedSample >= _gatedStarts[at] || i == 0) return _streamStarts[at] + (gatedSample - _gatedStarts[at]);
        }
        return gatedSample; // not reached
    }

    /// <summary>The stream time of gated position <paramref name="gatedSample"/>.</summary>
    public TimeSpan ToStreamTime(long gatedSample) => VadTime.ToTime(ToStreamSample(gatedSample));

    public void Reset()
    {
        _first = 0;
        _count = 0;
        GatedLength = 0;
    }
}
