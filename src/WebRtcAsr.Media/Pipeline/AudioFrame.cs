using WebRtcAsr.Media.Jitter;

namespace WebRtcAsr.Media.Pipeline;

/// <summary>
/// A block of mono float audio at the pipeline's output rate (16 kHz), valid only during the
/// consumer call. <see cref="StreamSample"/> is stream time in output samples since the
/// pipeline's first audio, derived from RTP timestamps, so DTX pauses and skipped losses show
/// as jumps rather than shifting later audio.
/// </summary>
public readonly ref struct AudioFrame
{
    public AudioFrame(ReadOnlySpan<float> samples, int sampleRate, long streamSample, bool discontinuity,
        AudioFrameKind kind, uint ssrc)
    {
        Samples = samples;
        SampleRate = sampleRate;
        StreamSample = streamSample;
        Discontinuity = discontinuity;
        Kind = kind;
        Ssrc = ssrc;
    }

    public ReadOnlySpan<float> Samples { get; }

    public int SampleRate { get; }

    /// <summary>Stream position of the first sample, in samples at <see cref="SampleRate"/>.</summary>
    public long StreamSample { get; }

    /// <summary>Stream time jumped forward before this block (DTX pause, long loss, new source or codec).</summary>
    public bool Discontinuity { get; }

    /// <summary>Decoded, FEC or PLC audio (a block may start in one packet's audio and end in the next's; this is the newest).</summary>
    public AudioFrameKind Kind { get; }

    public uint Ssrc { get; }

    /// <summary>Stream time of the first sample.</summary>
    public TimeSpan StreamTime => TimeSpan.FromTicks(StreamSample * TimeSpan.TicksPerSecond / SampleRate);
}
