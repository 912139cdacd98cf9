using System.Buffers.Binary;

namespace WebRtcAsr.Media.Rtcp;

/// <summary>
/// One reception report block of an SR or RR (RFC 3550 6.4.1), 24 bytes on the wire.
/// CumulativeLost is 24-bit signed on the wire and clamped to [-2^23, 2^23-1] when written;
/// LastSenderReport (LSR) is the middle 32 bits of the last SR's NTP timestamp;
/// DelaySinceLastSenderReport (DLSR) is in units of 1/65536 s.
/// </summary>
public readonly record struct ReportBlock(
    uint Ssrc,
    byte FractionLost,
    int CumulativeLost,
    uint ExtendedHighestSequence,
    uint Jitter,
    uint LastSenderReport,
    uint DelaySinceLastSenderReport)
{
    public const int Size = 24;

    public const int MaxCumulativeLost = 0x7FFFFF;
    public const int MinCumulativeLost = -0x800000;

    internal static ReportBlock Read(ReadOnlySpan<byte> b)
    {
        // Sign-extend the 24-bit cumulative loss.
        int lost = (b[5] << 16) | (b[6] << 8) | b[7];
        if ((lost & 0x800000) != 0)
        {
            lost -= 0x1000000;
        }

        return new ReportBlock(
            BinaryPrimitives.ReadUInt32BigEndian(b),
            b[4],
            lost,
            BinaryPrimitives.ReadUInt32BigEndian(b[8..]),
            BinaryPrimitives.ReadUInt32BigEndian(b[12..]),
            BinaryPrimitives.ReadUInt32BigEndian(b[16..]),
            BinaryPrimitives.ReadUInt32BigEndian(b[20..]));
    }

    internal void Write(Span<byte> b)
    {
        BinaryPrimitives.WriteUInt32BigEndian(b, Ssrc);
        b[4] = FractionLost;
        int lost = Math.Clamp(CumulativeLost, MinCumulativeLost, MaxCumulativeLost);
        b[5] = (byte)(lost >> 16);
        b[6] = (byte)(lost >> 8);
        b[7] = (byte)lost;
        BinaryPrimitives.WriteUInt32BigEndian(b[8..], ExtendedHighestSequence);
        BinaryPrimitives.WriteUInt32BigEndian(b[12..], Jitter);
        BinaryPrimitives.WriteUInt32BigEndian(b[16..], LastSenderReport);
        BinaryPrimitives.WriteUInt32BigEndian(b[20..], DelaySinceLastSenderReport);
    }
}
