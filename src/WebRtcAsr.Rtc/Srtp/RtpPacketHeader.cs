using System.Buffers.Binary;

namespace WebRtcAsr.Rtc.Srtp;

/// <summary>
/// The fixed RTP header plus CSRC list and header extension bounds (RFC 3550 5.1, 5.3.1): what
/// SRTP needs to know where the payload starts, and what a receiver needs to order packets.
/// </summary>
public readonly record struct RtpPacketHeader(
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
    public const int FixedLength = 12;

    public bool HasExtension => ExtensionOffset > 0;

    /// <summary>Parses the header; false when the bytes are not RTP version 2 or the lengths overrun.</summary>
    public static bool TryParse(ReadOnlySpan<byte> packet, out RtpPacketHeader header)
    {
        header = default;
        if (packet.Length < FixedLength || (packet[0] >> 6) != 2)
        {
            return false;
        }

        int csrcCount = packet[0] & 0x0F;
        int length = FixedLength + 4 * csrcCount;
        ushort profile = 0;
        int extensionOffset = 0;
        int extensionLength = 0;
        if ((packet[0] & 0x10) != 0)
        {
            if (packet.Length < length + 4)
            {
                return false;
            }

            profile = BinaryPrimitives.ReadUInt16BigEndian(packet[length..]);
            extensionLength = 4 * BinaryPrimitives.ReadUInt16BigEndian(packet[(length + 2)..]);
            extensionOffset = length + 4;
            length = extensionOffset + extensionLength;
        }

        if (packet.Length < length)
        {
            return false;
        }

        header = new RtpPacketHeader(
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
        return true;
    }
}
