using System.Buffers;
using System.Buffers.Binary;

namespace WebRtcAsr.Rtc.Dtls;

/// <summary>
/// Growable big-endian writer for handshake message bodies. Handshake messages are built a few
/// times per connection, so a small allocation here is fine; the record path never uses it.
/// Length-prefixed vectors are written by reserving the prefix and patching it at the end.
/// </summary>
internal sealed class TlsMessageBuilder
{
    private readonly ArrayBufferWriter<byte> _buffer = new(256);

    public int Length => _buffer.WrittenCount;

    public void WriteU8(int value) => Write(stackalloc byte[] { (byte)value });

    public void WriteU16(int value)
    {
        Span<byte> b = stackalloc byte[2];
        BinaryPrimitives.WriteUInt16BigEndian(b, (ushort)value);
        Write(b);
    }

    public void WriteU24(int value)
    {
        Span<byte> b = stackalloc byte[3];
        b[0] = (byte)(value >> 16);
        b[1] = (byte)(value >> 8);
        b[2] = (byte)value;
        Write(b);
    }

    public void Write(ReadOnlySpan<byte> bytes) => _buffer.Write(bytes);

    /// <summary>Reserves a length prefix of <paramref name="prefixBytes"/> bytes; returns its position.</summary>
    public int BeginVector(int prefixBytes)
    {
        int mark = _buffer.WrittenCount;
        Span<byte> zero = stackalloc byte[prefixBytes];
        zero.Clear();
        Write(zero);
        return mark | (prefixBytes << 24);
    }

    /// <summary>Patches the length prefix reserved by <see cref="BeginVector"/>.</summary>
    public void EndVector(int token)
    {
        int mark = token & 0xFFFFFF;
        int prefixBytes = token >> 24;
        int length = _buffer.WrittenCount - mark - prefixBytes;
        // ArrayBufferWriter exposes written memory read-only; patching through the array is safe
        // because this builder owns the buffer.
        var written = System.Runtime.InteropServices.MemoryMarshal.AsMemory(_buffer.WrittenMemory).Span;
        for (int i = 0; i < prefixBytes; i++)
        {
            written[mark + prefixBytes - 1 - i] = (byte)(length >> (8 * i));
        }
    }

    public void WriteVector8(ReadOnlySpan<byte> bytes)
    {
        WriteU8(bytes.Length);
        Write(bytes);
    }

    public void WriteVector16(ReadOnlySpan<byte> bytes)
    {
        WriteU16(bytes.Length);
        Write(bytes);
    }

    public void WriteVector24(ReadOnlySpan<byte> bytes)
    {
        WriteU24(bytes.Length);
        Write(bytes);
    }

    public byte[] ToArray() => _buffer.WrittenSpan.ToArray();
}
