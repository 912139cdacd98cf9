using System.Buffers.Binary;
using System.Net;

namespace WebRtcAsr.TestSupport;

/// <summary>
/// Writes UDP datagrams as a classic libpcap capture (global header, then per packet a record header and an
/// Ethernet II / IPv4 / UDP frame), the input SIPp's <c>play_pcap_audio</c> reads: it keeps the UDP payload (RTP)
/// and the timing, and rewrites addresses and ports for the call.
/// </summary>
public sealed class PcapWriter : IDisposable
{
    private const int EthernetLength = 14;
    private const int Ipv4Length = 20;
    private const int UdpLength = 8;
    private readonly Stream _stream;
    private ushort _ipId;

    public PcapWriter(Stream stream)
    {
        _stream = stream;
        Span<byte> header = stackalloc byte[24];
        BinaryPrimitives.WriteUInt32LittleEndian(header, 0xA1B2C3D4); // microsecond timestamps, little-endian file
        BinaryPrimitives.WriteUInt16LittleEndian(header[4..], 2);
        BinaryPrimitives.WriteUInt16LittleEndian(header[6..], 4);
        BinaryPrimitives.WriteUInt32LittleEndian(header[16..], 65535); // snaplen
        BinaryPrimitives.WriteUInt32LittleEndian(header[20..], 1); // LINKTYPE_ETHERNET
        _stream.Write(header);
    }

    public void WriteUdp(long timestampMicros, IPEndPoint source, IPEndPoint destination, ReadOnlySpan<byte> payload)
    {
        int frameLength = EthernetLength + Ipv4Length + UdpLength + payload.Length;
        var frame = new byte[16 + frameLength];
        var record = frame.AsSpan();
        BinaryPrimitives.WriteUInt32LittleEndian(record, (uint)(timestampMicros / 1_000_000));
        BinaryPrimitives.WriteUInt32LittleEndian(record[4..], (uint)(timestampMicros % 1_000_000));
        BinaryPrimitives.WriteUInt32LittleEndian(record[8..], (uint)frameLength);
        BinaryPrimitives.WriteUInt32LittleEndian(record[12..], (uint)frameLength);

        var ethernet = record[16..];
        ethernet[..6].Fill(0x02); // locally administered MACs
        ethernet[6..12].Fill(0x04);
        BinaryPrimitives.WriteUInt16BigEndian(ethernet[12..], 0x0800);

        var ip = ethernet[EthernetLength..];
        ip[0] = 0x45;
        BinaryPrimitives.WriteUInt16BigEndian(ip[2..], (ushort)(Ipv4Length + UdpLength + payload.Length));
        BinaryPrimitives.WriteUInt16BigEndian(ip[4..], _ipId++);
        ip[8] = 64;
        ip[9] = 17;
        source.Address.GetAddressBytes().CopyTo(ip[12..]);
        destination.Address.GetAddressBytes().CopyTo(ip[16..]);
        BinaryPrimitives.WriteUInt16BigEndian(ip[10..], Ipv4Checksum(ip[..Ipv4Length]));

        var udp = ip[Ipv4Length..];
        BinaryPrimitives.WriteUInt16BigEndian(udp, (ushort)source.Port);
        BinaryPrimitives.WriteUInt16BigEndian(udp[2..], (ushort)destination.Port);
        BinaryPrimitives.WriteUInt16BigEndian(udp[4..], (ushort)(UdpLength + payload.Length));
        payload.CopyTo(udp[UdpLength..]); // UDP checksum 0: none (IPv4)
        _stream.Write(frame);
    }

    public void Dispose() => _stream.Dispose();

    private static ushort Ipv4Checksum(ReadOnlySpan<byte> header)
    {
        uint sum = 0;
        for (var i = 0; i < header.Length; i += 2)
        {
            sum += BinaryPrimitives.ReadUInt16BigEndian(header[i..]);
        }

        while (sum > 0xFFFF)
        {
            sum = (sum & 0xFFFF) + (sum >> 16);
        }

        return (ushort)~sum;
    }
}
