namespace WebRtcAsr.Media.Jitter;

/// <summary>
/// One block of decoded audio released by the <see cref="JitterBuffer"/>, valid only during the
/// sink call. <see cref="Timestamp"/> is stream time: the extended (64-bit, wrap-free) RTP
/// timestamp of the first sample, in <see cref="ClockRate"/> units.
/// </summary>
public readonly ref struct DecodedAudio
{
    public DecodedAudio(ReadOnlySpan<float> samples, int sampleRate, int clockRate, long timestamp,
        long sequenceNumber, uint ssrc, AudioFrameKind kind, bool discontinuity, bool marker)
    {
        Samples = samples;
        SampleRate = sampleRate;
        ClockRate = clockRate;
        Timestamp = timestamp;
        SequenceNumber = sequenceNumber;
        Ssrc = ssrc;
        Kind = kind;
        Discontinuity = discontinuity;
        Marker = marker;
    }

    /// <summary>Mono PCM in [-1, 1] at <see cref="SampleRate"/>.</summary>
    public ReadOnlySpan<float> Samples { get; }

    public int SampleRate { get; }

    /// <summary>RTP clock rate of <see cref="Timestamp"/>.</summary>
    public int ClockRate { get; }

    /// <summary>Extended RTP timestamp of the first sample (stream time).</summary>
    public long Timestamp { get; }

    /// <summary>Extended sequence number of the packet this block stands for.</summary>
    public long SequenceNumber { get; }

    public uint Ssrc { get; }

    public AudioFrameKind Kind { get; }

    /// <summary>
    /// True when this block does not start where the previous one ended: the first block of a
    /// stream (new SSRC or restart), after a DTX pause, or after a loss too long to conceal.
    /// The gap's length is <see cref="Timestamp"/> minus the previous block's end.
    /// </summary>
    public bool Discontinuity { get; }

    /// <summary>RTP marker bit: the first packet of a talkspurt.</summary>
    public bool Marker { get; }
}
