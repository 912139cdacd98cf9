using System.Buffers.Binary;

namespace WebRtcAsr.Media.Rtcp;

/// <summary>
/// Writes RTCP packets into caller-provided memory; concatenating the results makes a compound
/// (RFC 3550 6.1: start with SR or RR, include SDES CNAME). Each method returns the bytes
/// written, or 0 when the destination is too small or the arguments do not fit the format.
/// </summary>
public static class RtcpWriter
{
    public static int WriteSenderReport(Span<byte> destination, uint ssrc, ulong ntpTimestamp, uint rtpTimestamp,
        uint packetCount, uint octetCount, ReadOnlySpan<ReportBlock> reports)
    {
        int length = 4 + 24 + (reports.Length * ReportBlock.Size);
        if (reports.Length > 31 || destination.Length < length)
        {
            return 0;
        }

        WriteHeader(destination, reports.Length, RtcpPacketType.SenderReport, length);
        BinaryPrimitives.WriteUInt32BigEndian(destination[4..], ssrc);
        BinaryPrimitives.WriteUInt64BigEndian(destination[8..], ntpTimestamp);
        BinaryPrimitives.WriteUInt32BigEndian(destination[16..], rtpTimestamp);
        BinaryPrimitives.WriteUInt32BigEndian(destination[20..], packetCount);
        BinaryPrimitives.WriteUInt32BigEndian(destination[24..], octetCount);
        WriteBlocks(destination[28..], reports);
        return length;
    }

    public static int WriteReceiverReport(Span<byte> destination, uint ssrc, ReadOnlySpan<ReportBlock> reports)
    {
        int length = 8 + (reports.Length * ReportBlock.Size);
        if (reports.Length > 31 || destination.Length < length)
        {
            return 0;
        }

        WriteHeader(destination, reports.Length, RtcpPacketType.ReceiverReport, length);
        BinaryPrimitives.WriteUInt32BigEndian(destination[4..], ssrc);
        WriteBlocks(destination[8..], reports);
        return length;
    }

    /// <summary>An SDES packet with one chunk holding one item (normally the CNAME).</summary>
    public static int WriteSourceDescription(Span<byte> destination, uint ssrc, SdesItemType itemType, ReadOnlySpan<byte> text)
    {
        if (itemType == SdesItemType.End || text.Length > 255)
        {
            return 0;
        }

        // SSRC + type + length + text + at least one null octet, padded to 32 bits.
        int chunk = (4 + 2 + text.Length + 1 + 3) & ~3;
        int length = 4 + chunk;
        if (destination.Length < length)
        {
            return 0;
        }

        WriteHeader(destination, 1, RtcpPacketType.SourceDescription, length);
        BinaryPrimitives.WriteUInt32BigEndian(destination[4..], ssrc);
        destination[8] = (byte)itemType;
        destination[9] = (byte)text.Length;
        text.CopyTo(destination[10..]);
        destination[(10 + text.Length)..length].Clear();
        return length;
    }

    public static int WriteGoodbye(Span<byte> destination, ReadOnlySpan<uint> sources, ReadOnlySpan<byte> reason = default)
    {
        if (sources.Length > 31 || reason.Length > 255)
        {
            return 0;
        }

        int reasonBytes = reason.IsEmpty ? 0 : (1 + reason.Length + 3) & ~3;
        int length = 4 + (sources.Length * 4) + reasonBytes;
        if (destination.Length < length)
        {
            return 0;
        }

        WriteHeader(destination, sources.Length, RtcpPacketType.Goodbye, length);
        int offset = 4;
        foreach (uint source in sources)
        {
            BinaryPrimitives.WriteUInt32BigEndian(destination[offset..], source);
            offset += 4;
        }

        if (!reason.IsEmpty)
        {
            destination[offset] = (byte)reason.Length;
            reason.CopyTo(destination[(offset + 1)..]);
            destination[(offset + 1 + reason.Length)..length].Clear();
        }

        return length;
    }

    private static void WriteHeader(Span<byte> destination, int count, RtcpPacketType type, int length)
    {
        destination[0] = (byte)(0x80 | count);
        destination[1] = (byte)type;
        BinaryPrimitives.WriteUInt16BigEndian(destination[2..], (ushort)((length / 4) - 1));
    }

    private static void WriteBlocks(Span<byte> destination, ReadOnlySpan<ReportBlock> reports)
    {
        for (int i = 0; i < reports.Length; i++)
        {
            reports[i].Write(destination.Slice(i * ReportBlock.Size, ReportBlock.Size));
        }
    }
}
