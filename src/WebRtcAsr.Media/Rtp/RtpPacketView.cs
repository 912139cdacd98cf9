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
    public const int FixedHeaderLength = RtpHeaderLayout.FixedLength;

    private readonly ReadOnlySpan<byte> _csrcs;

    private RtpPacketView(ReadOnlySpan<byte> packet, scoped in RtpHeaderLayout header, int paddingLength)
    {
        Version = 2;
        HasPadding = header.Padding;
        HasExtension = header.HasExtension;
        CsrcCount = header.CsrcCount;
        Marker = header.Marker;
        PayloadType = header.PayloadType;
        SequenceNumber = header.SequenceNumber;
        Timestamp = header.Timestamp;
        Ssrc = header.Ssrc;
        _csrcs = packet.Slice(FixedHeaderLength, 4 * header.CsrcCount);
        ExtensionProfile = header.ExtensionProfile;
        ExtensionData = packet.Slice(header.ExtensionOffset, header.ExtensionLength);
        Payload = packet[header.HeaderLength..^paddingLength];
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

    /// <summary>Parses an RTP packet: the header (<see cref="RtpHeaderLayout.TryParse"/>), then the padding; never throws, never reads out of bounds.</summary>
    public static bool TryParse(ReadOnlySpan<byte> data, out RtpPacketView packet, out RtpParseError error)
    {
        packet = default;
        if (!RtpHeaderLayout.TryParse(data, out var header, out error))
        {
            return false;
        }

        if (!header.TryGetPaddingLength(data, out int padding))
        {
            error = RtpParseError.BadPadding;
            return false;
        }

        packet = new RtpPacketView(data, header, padding);
        return true;
    }
}
