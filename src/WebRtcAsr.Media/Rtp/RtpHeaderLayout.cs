using System.Buffers.Binary;

namespace WebRtcAsr.Media.Rtp;

/// <summary>
/// An RTP header read without its packet's padding (RFC 3550 5.1, 5.3.1): the fixed fields and where the CSRC
/// list, the header extension and the payload start. The padding count is the packet's last octet, which on an
/// SRTP packet belongs to the authentication tag; so SRTP reads only this much before it unprotects, and checks
/// the padding afterwards with <see cref="TryGetPaddingLength"/>, the same check <see cref="RtpPacketView"/> makes.
/// </summary>
public readonly record struct RtpHeaderLayout(
    bool Padding,
    bool Marker,
    byte PayloadType,
    ushort SequenceNumber,
    uint Timestamp,
    uint Ssrc,
    int CsrcCount,
    ushort ExtensionProfile,
    int ExtensionOffset,
    int ExtensionLength,
    int HeaderLength)
{
    /// <summary>Fixed header size in bytes.</summary>
    public const int FixedLength = 12;

    /// <summary>Whether the X bit announced a header extension (its block starts at <see cref="ExtensionOffset"/>).</summary>
    public bool HasExtension => ExtensionOffset > 0;

    /// <summary>
    /// Reads the header of an RTP (or SRTP) packet: version 2, and the CSRC list and extension inside the bytes.
    /// Never throws, never reads out of bounds; the padding is not looked at.
    /// </summary>
    public static bool TryParse(ReadOnlySpan<byte> packet, out RtpHeaderLayout header, out RtpParseError error)
    {
        header = default;
        if (packet.Length < FixedLength)
        {
            error = RtpParseError.TooShort;
            return false;
        }

        if (packet[0] >> 6 != 2)
        {
            error = RtpParseError.BadVersion;
            return false;
        }

        int csrcCount = packet[0] & 0x0F;
        int length = FixedLength + (4 * csrcCount);
        if (packet.Length < length)
        {
            error = RtpParseError.CsrcOverrun;
            return false;
        }

        ushort profile = 0;
        int extensionOffset = 0;
        int extensionLength = 0;
        if ((packet[0] & 0x10) != 0)
        {
            if (packet.Length - length < 4)
            {
                error = RtpParseError.ExtensionOverrun;
                return false;
            }

            profile = BinaryPrimitives.ReadUInt16BigEndian(packet[length..]);
            extensionLength = 4 * BinaryPrimitives.ReadUInt16BigEndian(packet[(length + 2)..]);
            extensionOffset = length + 4;
            if (packet.Length - extensionOffset < extensionLength)
            {
                error = RtpParseError.ExtensionOverrun;
                return false;
            }

            length = extensionOffset + extensionLength;
        }

        header = new RtpHeaderLayout(
            Padding: (packet[0] & 0x20) != 0,
            Marker: (packet[1] & 0x80) != 0,
            PayloadType: (byte)(packet[1] & 0x7F),
            SequenceNumber: BinaryPrimitives.ReadUInt16BigEndian(packet[2..]),
            Timestamp: BinaryPrimitives.ReadUInt32BigEndian(packet[4..]),
            Ssrc: BinaryPrimitives.ReadUInt32BigEndian(packet[8..]),
            CsrcCount: csrcCount,
            ExtensionProfile: profile,
            ExtensionOffset: extensionOffset,
            ExtensionLength: extensionLength,
            HeaderLength: length);
        error = RtpParseError.None;
        return true;
    }

    /// <summary>
    /// The padding octets at the end of <paramref name="rtpPacket"/>, the whole plain RTP packet this header was
    /// read from (for SRTP: after unprotecting, without the tag): 0 when the P bit is clear, else the last octet,
    /// which counts itself (RFC 3550 5.1). False when that count is 0 or reaches into the header.
    /// </summary>
    public bool TryGetPaddingLength(ReadOnlySpan<byte> rtpPacket, out int paddingLength)
    {
        paddingLength = 0;
        if (!Padding)
        {
            return true;
        }

        if (rtpPacket.Length <= HeaderLength)
        {
            return false;
        }

        int count = rtpPacket[^1];
        if (count == 0 || count > rtpPacket.Length - HeaderLength)
        {
            return false;
        }

        paddingLength = count;
        return true;
    }
}
