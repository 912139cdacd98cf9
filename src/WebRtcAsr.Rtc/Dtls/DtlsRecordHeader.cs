using System.Buffers.Binary;

namespace WebRtcAsr.Rtc.Dtls;

/// <summary>
/// The 13-byte DTLS record header (RFC 6347 4.1): type, version, epoch, 48-bit sequence number,
/// fragment length.
/// </summary>
internal readonly record struct DtlsRecordHeader(DtlsContentType Type, ushort Version, ushort Epoch, long SequenceNumber, int Length)
{
    public const long MaxSequenceNumber = (1L << 48) - 1;

    /// <summary>Parses one record header; the fragment must be wholly present in <paramref name="data"/>.</summary>
    public static bool TryParse(ReadOnlySpan<byte> data, out DtlsRecordHeader header)
    {
        header = default;
        var r = new TlsWireReader(data);
        if (!r.TryReadU8(out var type) || !r.TryReadU16(out var version) || !r.TryReadU16(out var epoch)
            || !r.TryReadU48(out var seq) || !r.TryReadU16(out var length))
        {
            return false;
        }
        if (r.Remaining < length)
        {
            return false;
        }
        header = new DtlsRecordHeader((DtlsContentType)type, version, epoch, seq, length);
        return true;
    }

    public void Write(Span<byte> destination)
    {
        destination[0] = (byte)Type;
        BinaryPrimitives.WriteUInt16BigEndian(destination[1..], Version);
        BinaryPrimitives.WriteUInt16BigEndian(destination[3..], Epoch);
        BinaryPrimitives.WriteUInt16BigEndian(destination[5..], (ushort)(SequenceNumber >> 32));
        BinaryPrimitives.WriteUInt32BigEndian(destination[7..], (uint)SequenceNumber);
        BinaryPrimitives.WriteUInt16BigEndian(destination[11..], (ushort)Length);
    }
}
