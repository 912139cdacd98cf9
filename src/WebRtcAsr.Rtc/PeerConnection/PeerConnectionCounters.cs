namespace WebRtcAsr.Rtc.PeerConnection;

/// <summary>What a peer received, sent and dropped, by reason: for metrics and tests.</summary>
public sealed class PeerConnectionCounters
{
    public long DatagramsReceived { get; internal set; }

    public long RtpReceived { get; internal set; }

    public long RtcpReceived { get; internal set; }

    public long RtpSent { get; internal set; }

    /// <summary>SRTCP compounds sent (the server's receiver reports).</summary>
    public long RtcpSent { get; internal set; }

    /// <summary>DTLS application data records (SCTP packets) received.</summary>
    public long DtlsApplicationDataReceived { get; internal set; }

    /// <summary>Not STUN, DTLS, RTP or RTCP (RFC 7983).</summary>
    public long DroppedUnknown { get; internal set; }

    /// <summary>DTLS or SRTP from an address ICE has not validated.</summary>
    public long DroppedUnvalidatedSource { get; internal set; }

    /// <summary>SRTP/SRTCP before the keys exist.</summary>
    public long DroppedBeforeKeys { get; internal set; }

    /// <summary>SRTP/SRTCP that failed to authenticate, replays, malformed headers.</summary>
    public long DroppedSrtp { get; internal set; }

    /// <summary>Events dropped because the event queue was full.</summary>
    public long DroppedEvents { get; internal set; }

    /// <summary>SCTP packets DTLS did not take (its queue full).</summary>
    public long DroppedSctpPackets { get; internal set; }

    /// <summary>Outgoing RTCP reports that could not be written or protected.</summary>
    public long DroppedRtcp { get; internal set; }

    /// <summary>Outgoing RTP dropped (queue full, no keys).</summary>
    public long DroppedOutgoingRtp { get; internal set; }

    /// <summary>Malformed or refused DATA_CHANNEL_OPEN messages.</summary>
    public long RefusedDataChannels { get; internal set; }
}
