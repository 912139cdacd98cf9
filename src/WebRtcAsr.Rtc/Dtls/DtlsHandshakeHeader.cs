namespace WebRtcAsr.Rtc.Dtls;

/// <summary>
/// The 12-byte DTLS handshake header (RFC 6347 4.2.2): type, total length, message_seq,
/// fragment_offset, fragment_length.
/// </summary>
internal readonly record struct DtlsHandshakeHeader(DtlsHandshakeType Type, int Length, int MessageSeq, int FragmentOffset, int FragmentLength)
{
    public static bool TryParse(ref TlsWireReader reader, out DtlsHandshakeHeader header)
    {
        header = default;
        if (!reader.TryReadU8(out var type) || !reader.TryReadU24(out var length) || !reader.TryReadU16(out var seq)
            || !reader.TryReadU24(out var offset) || !reader.TryReadU24(out var fragLength))
        {
            return false;
        }
        if ((long)offset + fragLength > length)
        {
            return false;
        }
        header = new DtlsHandshakeHeader((DtlsHandshakeType)type, length, seq, offset, fragLength);
        return true;
    }

    public void Write(Span<byte> d)
    {
        d[0] = (byte)Type;
        WriteU24(d[1..], Length);
        d[4] = (byte)(MessageSeq >> 8);
        d[5] = (byte)MessageSeq;
        WriteU24(d[6..], FragmentOffset);
        WriteU24(d[9..], FragmentLength);
    }

    private static void WriteU24(Span<byte> d, int v)
    {
        d[0] = (byte)(v >> 16);
        d[1] = (byte)(v >> 8);
        d[2] = (byte)v;
    }
}
