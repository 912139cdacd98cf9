using System.Buffers.Binary;

namespace WebRtcAsr.Media.Rtcp;

/// <summary>A parsed sender report (RFC 3550 6.4.1): sender info plus report blocks.</summary>
public readonly ref struct SenderReportView
{
    private readonly ReadOnlySpan<byte> _blocks;

    private SenderReportView(ReadOnlySpan<byte> body, int count)
    {
        Ssrc = BinaryPrimitives.ReadUInt32BigEndian(body);
        NtpTimestamp = BinaryPrimitives.ReadUInt64BigEndian(body[4..]);
        RtpTimestamp = BinaryPrimitives.ReadUInt32BigEndian(body[12..]);
        PacketCount = BinaryPrimitives.ReadUInt32BigEndian(body[16..]);
        OctetCount = BinaryPrimitives.ReadUInt32BigEndian(body[20..]);
        _blocks = body.Slice(24, count * ReportBlock.Size);
        ReportCount = count;
    }

    public uint Ssrc { get; }

    /// <summary>64-bit NTP timestamp (seconds since 1900 in the high 32 bits, fraction in the low).</summary>
    public ulong NtpTimestamp { get; }

    public uint RtpTimestamp { get; }
    public uint PacketCount { get; }
    public uint OctetCount { get; }
    public int ReportCount { get; }

    public ReportBlock GetReport(int index) => ReportBlock.Read(_blocks.Slice(index * ReportBlock.Size, ReportBlock.Size));

    public static bool TryParse(in RtcpPacketView packet, out SenderReportView report, out RtcpParseError error)
    {
        report = default;
        if (packet.PacketType != (byte)RtcpPacketType.SenderReport || packet.Body.Length < 24 + (packet.Count * ReportBlock.Size))
        {
            error = RtcpParseError.BodyTooShort;
            return false;
        }

        report = new SenderReportView(packet.Body, packet.Count);
        error = RtcpParseError.None;
        return true;
    }
}
