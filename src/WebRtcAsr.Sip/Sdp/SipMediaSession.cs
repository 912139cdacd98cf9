using System.Net;

namespace WebRtcAsr.Sip.Sdp;

/// <summary>A payload type agreed in offer/answer: the number the peer will put in RTP headers and what it means.</summary>
public sealed record NegotiatedCodec(int PayloadType, string Encoding, int ClockRate, int Channels, string? Fmtp)
{
    public bool IsTelephoneEvent => string.Equals(Encoding, "telephone-event", StringComparison.OrdinalIgnoreCase);
}

/// <summary>
/// The media side of a call after offer/answer: our RTP port, where the caller sends from (its RTP/RTCP
/// addresses, symmetric RTP), the payload type map (audio codecs in the caller's order, then
/// telephone-event), and whether the caller has put us on hold.
/// </summary>
public sealed record SipMediaSession(
    int LocalRtpPort,
    IPEndPoint? RemoteRtp,
    IPEndPoint? RemoteRtcp,
    SdpDirection RemoteDirection,
    bool OnHold,
    IReadOnlyList<NegotiatedCodec> Codecs,
    NegotiatedCodec? TelephoneEvent,
    int PacketTimeMs)
{
    /// <summary>The codec the caller is expected to send first.</summary>
    public NegotiatedCodec Primary => Codecs[0];

    /// <summary>Looks up a payload type from an RTP header (audio codecs and telephone-event).</summary>
    public NegotiatedCodec? ForPayloadType(int payloadType)
    {
        foreach (var codec in Codecs)
        {
            if (codec.PayloadType == payloadType)
            {
                return codec;
            }
        }

        return TelephoneEvent?.PayloadType == payloadType ? TelephoneEvent : null;
    }
}
