using System.Buffers.Binary;

namespace WebRtcAsr.Media.Rtcp;

/// <summary>A parsed receiver report (RFC 3550 6.4.2): reporter SSRC plus report blocks.</summary>
public readonly ref struct ReceiverReportView
{
    private readonly ReadOnlySpan<byte> _blocks;

    private ReceiverReportView(ReadOnlySpan<byte> body, int count)
    {
        Ssrc = BinaryPrimitives.ReadUInt32BigEndian(body);
        _blocks = body.Slice(4, count * ReportBlock.Size);
        ReportCount = count;
    }

    public uint Ssrc { get; }
    public int ReportCount { get; }

    public ReportBlock GetReport(int index) => ReportBlock.Read(_blocks.Slice(index * ReportBlock.Size, ReportBlock.Size));

    public static bool TryParse(in RtcpPacketView packet, out ReceiverReportView report, out RtcpParseError error)
    {
        report = default;
        if (packet.PacketType != (byte)RtcpPacketType.ReceiverReport || packet.Body.Length < 4 + (packet.Count * ReportBlock.Size))
        {
            error = RtcpParseError.BodyTooShort;
            return false;
        }

        report = new ReceiverReportView(packet.Body, packet.Count);
        error = RtcpParseError.None;
        return true;
    }
}
