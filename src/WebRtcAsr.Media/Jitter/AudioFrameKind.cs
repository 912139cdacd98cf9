namespace WebRtcAsr.Media.Jitter;

/// <summary>How the samples of a released frame were produced.</summary>
public enum AudioFrameKind
{
    /// <summary>Decoded from the packet that carried them.</summary>
    Decoded,

    /// <summary>Recovered from the in-band FEC (Opus LBRR) of the following packet.</summary>
    Fec,

    /// <summary>Synthesised by the decoder's packet loss concealment.</summary>
    Plc,
}
