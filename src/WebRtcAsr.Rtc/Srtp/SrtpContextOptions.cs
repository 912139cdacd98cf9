namespace WebRtcAsr.Rtc.Srtp;

/// <summary>Limits of one SRTP context.</summary>
public sealed record SrtpContextOptions
{
    /// <summary>Replay window size in packets (RFC 3711 recommends at least 64).</summary>
    public int ReplayWindowSize { get; init; } = 64;

    /// <summary>Most SSRCs one context tracks; a voice call needs one or two.</summary>
    public int MaxStreams { get; init; } = 32;
}
