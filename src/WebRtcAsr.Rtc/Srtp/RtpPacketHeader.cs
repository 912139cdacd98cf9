using WebRtcAsr.Media.Rtp;

namespace WebRtcAsr.Rtc.Srtp;

/// <summary>
/// The RTP header of an SRTP packet, as SRTP and the peer connection's events carry it: Media's header-only parse
/// (<see cref="RtpHeaderLayout"/>: fixed header, CSRCs, extension, no padding check, since an SRTP packet ends in
/// its tag) under the name the Rtc API has used, with the same members.
/// </summary>
public readonly record struct RtpPacketHeader(RtpHeaderLayout Layout)
{
    /// <summary>Fixed header size in bytes.</summary>
    public const int FixedLength = RtpHeaderLayout.FixedLength;

    /// <summary>The P bit: the plain packet ends in padding (checked after unprotecting).</summary>
    public bool Padding => Layout.Padding;

    /// <summary>The M bit.</summary>
    public bool Marker => Layout.Marker;

    /// <summary>The 7-bit payload type.</summary>
    public byte PayloadType => Layout.PayloadType;

    /// <summary>The 16-bit sequence number.</summary>
    public ushort SequenceNumber => Layout.SequenceNumber;

    /// <summary>The 32-bit media timestamp.</summary>
    public uint Timestamp => Layout.Timestamp;

    /// <summary>The synchronisation source.</summary>
    public uint Ssrc => Layout.Ssrc;

    /// <summary>Contributing sources listed after the fixed header.</summary>
    public int CsrcCount => Layout.CsrcCount;

    /// <summary>The extension's "defined by profile" field; 0 without extension.</summary>
    public ushort ExtensionProfile => Layout.ExtensionProfile;

    /// <summary>Where the extension block starts (after its 4-byte header); 0 without extension.</summary>
    public int ExtensionOffset => Layout.ExtensionOffset;

    /// <summary>The extension block's length in bytes.</summary>
    public int ExtensionLength => Layout.ExtensionLength;

    /// <summary>Where the payload starts: fixed header, CSRCs and extension.</summary>
    public int HeaderLength => Layout.HeaderLength;

    /// <summary>Whether the X bit announced a header extension.</summary>
    public bool HasExtension => Layout.HasExtension;

    /// <summary>Parses the header; false when the bytes are not RTP version 2 or the lengths overrun.</summary>
    public static bool TryParse(ReadOnlySpan<byte> packet, out RtpPacketHeader header)
    {
        bool parsed = RtpHeaderLayout.TryParse(packet, out var layout, out _);
        header = new RtpPacketHeader(layout);
        return parsed;
    }
}
