namespace WebRtcAsr.Rtc.Srtp;

/// <summary>Outcome of protecting or unprotecting one packet.</summary>
public enum SrtpStatus
{
    Ok = 0,

    /// <summary>Shorter than a header plus the authentication tag.</summary>
    TooShort,

    /// <summary>Not a well-formed RTP/RTCP header (version, CSRC/extension lengths).</summary>
    MalformedHeader,

    /// <summary>Authentication tag mismatch: tampered, wrong key, or wrong rollover guess.</summary>
    AuthenticationFailed,

    /// <summary>Already received, or older than the replay window.</summary>
    Replayed,

    /// <summary>The per-context SSRC table is full.</summary>
    TooManyStreams,

    /// <summary>The output buffer cannot hold the protected packet.</summary>
    BufferTooSmall,
}
