namespace WebRtcAsr.Media.Jitter;

/// <summary>What <see cref="JitterBuffer.Insert"/> did with a packet.</summary>
public enum JitterInsertResult
{
    /// <summary>Held (and released at once if it completed the audio).</summary>
    Accepted,

    /// <summary>Already held or already played: dropped.</summary>
    Duplicate,

    /// <summary>Arrived after its slot was concealed or skipped: dropped.</summary>
    Late,

    /// <summary>Payload larger than the configured maximum: dropped.</summary>
    TooLarge,

    /// <summary>
    /// A sequence jump too large to be loss or reordering (RFC 3550 A.1 MAX_DROPOUT); dropped
    /// until the next packet in sequence confirms a restart of the stream.
    /// </summary>
    SequenceJump,
}
