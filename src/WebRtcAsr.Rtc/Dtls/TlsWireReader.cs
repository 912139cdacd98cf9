using System.Buffers.Binary;

namespace WebRtcAsr.Rtc.Dtls;

/// <summary>
/// Bounds-checked big-endian reader over TLS/DTLS wire data. Every read returns false instead of
/// throwing when the input is too short, so parsers can turn truncation into a reason.
/// </summary>
internal ref struct TlsWireReader
{
    private readonly ReadOnlySpan<byte> _data;
    private int _position;

    public TlsWireReader(ReadOnlySpan<byte> data)
    {
        _data = data;
        _position = 0;
    }

    public readonly int Remaining => _data.Length - _position;

    public readonly bool IsEmpty => _position >= _data.Length;

    public bool TryReadU8(out byte value)
    {
        if (Remaining < 1) { value = 0; return false; }
        value = _data[_position++];
        return true;
    }

    public bool TryReadU16(out ushort value)
    {
        if (Remaining < 2) { value = 0; return false; }
        value = BinaryPrimitives.ReadUInt16BigEndian(_data.Slice(_position, 2));
        _position += 2;
        return true;
    }

    public bool TryReadU24(out int value)
    {
        if (Remaining < 3) { value = 0; return false; }
        var s = _data.Slice(_position, 3);
        value = (s[0] << 16) | (s[1] << 8) | s[2];
        _position += 3;
        return true;
    }

    public bool TryReadU48(out long value)
    {
        if (Remaining < 6) { value = 0; return false; }
        var s = _data.Slice(_position, 6);
        value = ((long)BinaryPrimitives.ReadUInt16BigEndian(s) << 32) | BinaryPrimitives.ReadUInt32BigEndian(s[2..]);
        _position += 6;
        return true;
    }

    public bool TryReadBytes(int count, out ReadOnlySpan<byte> bytes)
    {
        if (count < 0 || Remaining < count) { bytes = default; return false; }
        bytes = _data.Slice(_position, count);
        _position += count;
        return true;
    }

    /// <summary>Reads a vector with a one-byte length prefix (opaque x&lt;0..2^8-1&gt;).</summary>
    public bool TryReadVector8(out ReadOnlySpan<byte> bytes)
    {
        bytes = default;
        return TryReadU8(out var n) && TryReadBytes(n, out bytes);
    }

    /// <summary>Reads a vector with a two-byte length prefix (opaque x&lt;0..2^16-1&gt;).</summary>
    public bool TryReadVector16(out ReadOnlySpan<byte> bytes)
    {
        bytes = default;
        return TryReadU16(out var n) && TryReadBytes(n, out bytes);
    }

    /// <summary>Reads a vector with a three-byte length prefix (opaque x&lt;0..2^24-1&gt;).</summary>
    public bool TryReadVector24(out ReadOnlySpan<byte> bytes)
    {
        bytes = default;
        return TryReadU24(out var n) && TryReadBytes(n, out bytes);
    }
}
