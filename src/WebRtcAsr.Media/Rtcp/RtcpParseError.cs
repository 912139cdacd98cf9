namespace WebRtcAsr.Media.Rtcp;

/// <summary>Why an RTCP packet or compound packet was rejected.</summary>
public enum RtcpParseError
{
    None = 0,
    /// <summary>Fewer than 4 bytes left for a common header.</summary>
    TooShort,
    /// <summary>Version field is not 2.</summary>
    BadVersion,
    /// <summary>The length field runs past the end of the datagram.</summary>
    LengthOverrun,
    /// <summary>Padding count of zero, larger than the packet, or padding not on the last packet.</summary>
    BadPadding,
    /// <summary>The first packet of a compound is neither SR nor RR (RFC 3550 A.2).</summary>
    FirstNotReport,
    /// <summary>The body is shorter than its type and count require.</summary>
    BodyTooShort,
    /// <summary>An SDES chunk or item runs past the packet.</summary>
    BadSdes,
}
