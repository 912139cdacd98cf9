using System.Buffers.Binary;

namespace WebRtcAsr.Media.Rtcp;

/// <summary>A parsed BYE packet (RFC 3550 6.6): the leaving sources and an optional reason.</summary>
public readonly ref struct ByeView
{
    private readonly ReadOnlySpan<byte> _sources;

    private ByeView(ReadOnlySpan<byte> sources, ReadOnlySpan<byte> reason)
    {
        _sources = sources;
        Reason = reason;
    }

    public int SourceCount => _sources.Length / 4;

    /// <summary>Reason for leaving as UTF-8 bytes; empty when absent.</summary>
    public ReadOnlySpan<byte> Reason { get; }

    public uint GetSource(int index) => BinaryPrimitives.ReadUInt32BigEndian(_sources.Slice(index * 4, 4));

    public static bool TryParse(in RtcpPacketView packet, out ByeView bye, out RtcpParseError error)
    {
        bye = default;
        var body = packet.Body;
        int sourceBytes = packet.Count * 4;
        if (packet.PacketType != (byte)RtcpPacketType.Goodbye || body.Length < sourceBytes)
        {
            error = RtcpParseError.BodyTooShort;
            return false;
        }

        ReadOnlySpan<byte> reason = default;
        if (body.Length > sourceBytes)
        {
            int length = body[sourceBytes];
            if (sourceBytes + 1 + length > body.Length)
            {
                error = RtcpParseError.BodyTooShort;
                return false;
            }

            reason = body.Slice(sourceBytes + 1, length);
        }

        bye = new ByeView(body[..sourceBytes], reason);
        error = RtcpParseError.None;
        return true;
    }
}
