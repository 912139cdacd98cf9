namespace WebRtcAsr.Media.Pipeline;

/// <summary>Counters of an <see cref="AudioPipeline"/> (the jitter buffer's are separate).</summary>
public sealed class AudioPipelineStatistics
{
    public long Packets { get; internal set; }
    public long Malformed { get; internal set; }
    public long UnknownPayloadType { get; internal set; }
    public long NotAudio { get; internal set; }
    public long DecoderUnavailable { get; internal set; }

    /// <summary>Times the stream switched codec (a different negotiated audio PT).</summary>
    public long CodecSwitches { get; internal set; }

    public long FramesOut { get; internal set; }
    public long SamplesOut { get; internal set; }
}
