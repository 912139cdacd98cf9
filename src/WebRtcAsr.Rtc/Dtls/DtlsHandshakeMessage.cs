namespace WebRtcAsr.Rtc.Dtls;

/// <summary>A reassembled handshake message: its header fields, the epoch it arrived in, and its body.</summary>
internal sealed class DtlsHandshakeMessage(DtlsHandshakeType type, int messageSeq, ushort epoch, byte[] body)
{
    public DtlsHandshakeType Type { get; } = type;
    public int MessageSeq { get; } = messageSeq;
    public ushort Epoch { get; } = epoch;
    public byte[] Body { get; } = body;

    /// <summary>The message as one unfragmented DTLS handshake message (what the transcript hashes).</summary>
    public byte[] ToWire() => Encode(Type, MessageSeq, Body);

    public static byte[] Encode(DtlsHandshakeType type, int messageSeq, ReadOnlySpan<byte> body)
    {
        byte[] wire = new byte[DtlsWire.HandshakeHeaderLength + body.Length];
        new DtlsHandshakeHeader(type, body.Length, messageSeq, 0, body.Length).Write(wire);
        body.CopyTo(wire.AsSpan(DtlsWire.HandshakeHeaderLength));
        return wire;
    }
}
