namespace WebRtcAsr.Rtc.Common;

/// <summary>The protocol of a datagram on the shared WebRTC port (RFC 7983).</summary>
public enum PacketKind
{
    /// <summary>None of the below (ZRTP, TURN channel data, garbage): drop.</summary>
    Unknown,

    Stun,
    Dtls,
    Rtp,
    Rtcp,
}
