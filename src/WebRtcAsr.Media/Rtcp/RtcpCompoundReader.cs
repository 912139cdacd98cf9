using System.Buffers.Binary;

namespace WebRtcAsr.Media.Rtcp;

/// <summary>
/// Iterates the packets of an RTCP compound datagram, checking each length against the datagram
/// (RFC 3550 A.2). Iteration stops at the first malformed packet with <see cref="Error"/> set;
/// packets before it were returned. Unknown packet types are returned for the caller to skip.
/// </summary>
public ref struct RtcpCompoundReader
{
    private readonly ReadOnlySpan<byte> _data;
    private int _offset;

    public RtcpCompoundReader(ReadOnlySpan<byte> datagram)
    {
        _data = datagram;
        _offset = 0;
        Current = default;
        Error = RtcpParseError.None;
    }

    public RtcpPacketView Current { get; private set; }

    public RtcpParseError Error { get; private set; }

    public bool MoveNext()
    {
        if (_offset >= _data.Length || Error != RtcpParseError.None)
        {
            return false;
        }

        var rest = _data[_offset..];
        if (rest.Length < 4)
        {
            return Fail(RtcpParseError.TooShort);
        }

        if (rest[0] >> 6 != 2)
        {
            return Fail(RtcpParseError.BadVersion);
        }

        int length = (BinaryPrimitives.ReadUInt16BigEndian(rest[2..]) + 1) * 4;
        if (length > rest.Length)
        {
            return Fail(RtcpParseError.LengthOverrun);
        }

        bool padding = (rest[0] & 0x20) != 0;
        int paddingLength = 0;
        if (padding)
        {
            paddingLength = rest[length - 1];
            // Only the last packet of a compound may be padded (A.2).
            if (paddingLength == 0 || paddingLength > length - 4 || length != rest.Length)
            {
                return Fail(RtcpParseError.BadPadding);
            }
        }

        Current = new RtcpPacketView(rest[1], rest[0] & 0x1F, padding, rest[4..(length - paddingLength)], length);
        _offset += length;
        return true;
    }

    private bool Fail(RtcpParseError error)
    {
        Error = error;
        _offset = _data.Length;
        return false;
    }

    /// <summary>
    /// The full RFC 3550 A.2 validity check of a compound: version 2 throughout, the first packet
    /// an SR or RR without padding, padding only on the last packet, and lengths that add up to
    /// the datagram exactly.
    /// </summary>
    public static RtcpParseError Validate(ReadOnlySpan<byte> datagram)
    {
        if (datagram.Length < 4)
        {
            return RtcpParseError.TooShort;
        }

        if (datagram[1] is not ((byte)RtcpPacketType.SenderReport or (byte)RtcpPacketType.ReceiverReport))
        {
            return RtcpParseError.FirstNotReport;
        }

        var reader = new RtcpCompoundReader(datagram);
        bool first = true;
        while (reader.MoveNext())
        {
            if (first && reader.Current.HasPadding && reader.Current.Length != datagram.Length)
            {
                return RtcpParseError.BadPadding;
            }

            first = false;
        }

        return reader.Error;
    }
}
