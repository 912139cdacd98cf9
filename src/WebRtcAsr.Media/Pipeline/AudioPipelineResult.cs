namespace WebRtcAsr.Media.Pipeline;

/// <summary>What <see cref="AudioPipeline.Receive"/> did with one RTP packet.</summary>
public enum AudioPipelineResult
{
    Accepted,

    /// <summary>Not a valid RTP packet (see <see cref="AudioPipelineStatistics.Malformed"/>).</summary>
    Malformed,

    /// <summary>Payload type not negotiated for this stream.</summary>
    UnknownPayloadType,

    /// <summary>Negotiated but not audio we decode (telephone-event, CN, ...).</summary>
    NotAudio,

    /// <summary>The codec's decoder could not be created (e.g. libopus missing).</summary>
    DecoderUnavailable,

    Duplicate,
    Late,
    TooLarge,
    SequenceJump,
}
