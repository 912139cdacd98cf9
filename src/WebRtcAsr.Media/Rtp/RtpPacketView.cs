using System.Buffers.Binary;

namespace WebRtcAsr.Media.Rtp;

/// <summary>
/// A read-only view of one RTP packet (RFC 3550 section 5.1) over the caller's bytes: the fixed
/// header fields, the CSRC list, the header extension block and the payload with padding removed.
/// Nothing is copied; the view lives only as long as the span it was parsed from.
/// </summary>
public readonly ref struct RtpPacketView
{
    /// <summary>Fixed header size in bytes.</summary>
    public const int FixedHeaderLength = 12;

    private readonly ReadOnlySpan<byte> _csrcs;

    private RtpPacketView(ReadOnlySpan<byte> packet, ReadOnlySpan<byte> csrcs, ushort extensionProfile,
        ReadOnlySpan<byte> extension, ReadOnlySpan<byte> payload, int paddingLength)
    {
        byte b0 = packet[0];
        byte b1 = packet[1];
        Version = b0 >> 6;
        HasPadding = (b0 & 0x20) != 0;
        HasExtension = (b0 & 0x10) != 0;
        CsrcCount = b0 & 0x0F;
        Marker = (b1 & 0x80) != 0;
        PayloadType = (byte)(b1 & 0x7F);
        SequenceNumber = BinaryPrimitives.ReadUInt16BigEndian(packet[2..]);
        Timestamp = BinaryPrimitives.ReadUInt32BigEndian(packet[4..]);
        Ssrc = BinaryPrimitives.ReadUInt32BigEndian(packet[8..]);
        _csrcs = csrcs;
        ExtensionProfile = extensionProfile;
        ExtensionData = extension;
        Payload = payload;
        PaddingLength = paddingLength;
        Length = packet.Length;
    }

    public int Version { get; }
    public bool HasPadding { get; }
    public bool HasExtension { get; }
    public int CsrcCount { get; }
    public bool Marker { get; }
    public byte PayloadType { get; }
    public ushort SequenceNumber { get; }
    public uint Timestamp { get; }
    public uint Ssrc { get; }

    /// <summary>The 16-bit "defined by profile" field (0xBEDE one-byte, 0x100X two-byte); 0 without extension.</summary>
    public ushort ExtensionProfile { get; }

    /// <summary>The extension block after its 4-byte header (length × 4 bytes).</summary>
    public ReadOnlySpan<byte> ExtensionData { get; }

    /// <summary>The payload with any padding removed.</summary>
    public ReadOnlySpan<byte> Payload { get; }

    /// <summary>Padding bytes removed from the end (0 when the P bit is clear).</summary>
    public int PaddingLength { get; }

    /// <summary>Total packet length in bytes, as received.</summary>
    public int Length { get; }

    /// <summary>The i-th contributing source.</summary>
    public uint GetCsrc(int index) => BinaryPrimitives.ReadUInt32BigEndian(_csrcs.Slice(index * 4, 4));

    /// <summary>The RFC 8285 elements of the extension block (empty when the profile is neither form).</summary>
    public RtpHeaderExtensionReader Extensions => new(ExtensionProfile, ExtensionData);

    /// <summary>Parses an RTP packet; never throws, never reads out of bounds.</summary>
    public static bool TryParse(ReadOnlySpan<byte> data, out RtpPacketView packet, out RtpParseError error)
    {
        packet = default;
        if (data.Length < FixedHeaderLength)
        {
            error = RtpParseError.TooShort;
            return false;
        }

        if (data[0] >> 6 != 2)
        {
            error = RtpParseError.BadVersion;
            return false;
        }

        int offset = FixedHeaderLength;
        int csrcBytes = (data[0] & 0x0F) * 4;
        if (data.Length - offset < csrcBytes)
        {
            error = RtpParseError.CsrcOverrun;
            return false;
        }

        ReadOnlySpan<byte> csrcs = data.Slice(offset, csrcBytes);
        offset += csrcBytes;

        ushort profile = 0;
        ReadOnlySpan<byte> extension = default;
        if ((data[0] & 0x10) != 0)
        {
            if (data.Length - offset < 4)
            {
                error = RtpParseError.ExtensionOverrun;
                return false;
            }

            profile = BinaryPrimitives.ReadUInt16BigEndian(data[offset..]);
            int extensionBytes = BinaryPrimitives.ReadUInt16BigEndian(data[(offset + 2)..]) * 4;
            offset += 4;
            if (data.Length - offset < extensionBytes)
            {
                error = RtpParseError.ExtensionOverrun;
                return false;
            }

            extension = data.Slice(offset, extensionBytes);
            offset += extensionBytes;
        }

        int padding = 0;
        if ((data[0] & 0x20) != 0)
        {
            // RFC 3550 5.1: the last octet counts the padding octets including itself.
            padding = data[^1];
            if (padding == 0 || padding > data.Length - offset)
            {
                error = RtpParseError.BadPadding;
                return false;
            }
        }

        packet = new RtpPacketView(data, csrcs, profile, extension, data[offset..^padding], padding);
        error = RtpParseError.None;
        return true;
    }
}
