namespace WebRtcAsr.Rtc.Common;

/// <summary>
/// Demultiplexes STUN, DTLS and SRTP/SRTCP arriving on one port by the first byte (RFC 7983 7):
/// 0-3 STUN, 20-63 DTLS, 128-191 RTP/RTCP; RTCP is told from RTP by its packet type 192-223 in
/// the second byte (RFC 5761 4), which RTP payload types (with the marker bit) never take in WebRTC.
/// </summary>
public static class PacketClassifier
{
    public static PacketKind Classify(ReadOnlySpan<byte> datagram)
    {
        if (datagram.IsEmpty)
        {
            return PacketKind.Unknown;
        }

        byte first = datagram[0];
        if (first <= 3)
        {
            return PacketKind.Stun;
        }

        if (first is >= 20 and <= 63)
        {
            return PacketKind.Dtls;
        }

        if (first is >= 128 and <= 191)
        {
            if (datagram.Length < 2)
            {
                return PacketKind.Unknown;
            }

            return datagram[1] is >= 192 and <= 223 ? PacketKind.Rtcp : PacketKind.Rtp;
        }

        return PacketKind.Unknown;
    }
}
