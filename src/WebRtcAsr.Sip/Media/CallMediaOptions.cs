using WebRtcAsr.Media.Pipeline;

namespace WebRtcAsr.Sip.Media;

/// <summary>Settings of a call's media (<see cref="CallMediaSession"/>, <see cref="CallMedia"/>).</summary>
public sealed record CallMediaOptions
{
    /// <summary>
    /// No RTP for this long (while not on hold) means the far end is gone without a BYE: the call is reported as
    /// <see cref="CallMediaStopped"/> and the host sends BYE. Asterisk's rtptimeout and FreeSWITCH's
    /// media_timeout are commonly set to 30–60 s.
    /// </summary>
    public TimeSpan InactivityTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Interval of our RTCP receiver reports (RFC 3550 §6.2's 5 s minimum).</summary>
    public TimeSpan RtcpInterval { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// How long the latched RTP source must be silent before another source may take its place (symmetric RTP).
    /// Until then packets from other addresses are dropped, so a stray or injected stream cannot hijack the call.
    /// </summary>
    public TimeSpan RelatchAfter { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>The CNAME in our RTCP SDES.</summary>
    public string Cname { get; init; } = "webrtcasr";

    /// <summary>Jitter buffer and output rate (16 kHz) of the audio path.</summary>
    public AudioPipelineOptions Audio { get; init; } = new();

    /// <summary>Datagrams queued for the call's owner task before the socket loop drops them.</summary>
    public int InboundQueueCapacity { get; init; } = 256;

    /// <summary>Largest datagram read from the RTP/RTCP sockets.</summary>
    public int MaxDatagramBytes { get; init; } = 1500;
}
