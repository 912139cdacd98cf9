namespace WebRtcAsr.Media.Rtcp;

/// <summary>
/// One packet of an RTCP compound: the common header (RFC 3550 6.4) and its body with the
/// header and any padding removed. A view over the caller's bytes.
/// </summary>
public readonly ref struct RtcpPacketView
{
    public RtcpPacketView(byte packetType, int count, bool padding, ReadOnlySpan<byte> body, int length)
    {
        PacketType = packetType;
        Count = count;
        HasPadding = padding;
        Body = body;
        Length = length;
    }

    /// <summary>Raw packet type (see <see cref="RtcpPacketType"/>; unknown types are kept as-is).</summary>
    public byte PacketType { get; }

    /// <summary>The 5-bit count field: report blocks, SDES chunks, BYE sources, or FMT for feedback.</summary>
    public int Count { get; }

    public bool HasPadding { get; }

    /// <summary>Bytes after the 4-byte common header, without padding.</summary>
    public ReadOnlySpan<byte> Body { get; }

    /// <summary>Whole packet length in bytes, header and padding included.</summary>
    public int Length { get; }
}
