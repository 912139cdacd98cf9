using System.Buffers.Binary;

namespace WebRtcAsr.Rtc.Sctp;

/// <summary>The SCTP common header (RFC 9260 §3.1): ports, verification tag, CRC-32C checksum.</summary>
public static class SctpPacket
{
    /// <summary>Length of the common header.</summary>
    public const int HeaderLength = 12;

    /// <summary>Checks length and checksum and reads the header; never throws.</summary>
    public static bool TryReadHeader(ReadOnlySpan<byte> packet, out ushort sourcePort, out ushort destinationPort,
        out uint verificationTag, out string? error)
    {
        sourcePort = destinationPort = 0;
        verificationTag = 0;
        if (packet.Length < HeaderLength + 4)
        {
            error = "packet shorter than common header plus one chunk header";
            return false;
        }

        if (!HasValidChecksum(packet))
        {
            error = "bad CRC-32C checksum";
            return false;
        }

        sourcePort = BinaryPrimitives.ReadUInt16BigEndian(packet);
        destinationPort = BinaryPrimitives.ReadUInt16BigEndian(packet[2..]);
        verificationTag = BinaryPrimitives.ReadUInt32BigEndian(packet[4..]);
        error = null;
        return true;
    }

    /// <summary>True when the checksum field matches the CRC-32C of the packet with that field zeroed.</summary>
    public static bool HasValidChecksum(ReadOnlySpan<byte> packet)
    {
        if (packet.Length < HeaderLength)
        {
            return false;
        }

        // The checksum is computed over the packet with the checksum field itself as zeros.
        uint crc = Crc32c.Update(0xFFFFFFFF, packet[..8]);
        crc = Crc32c.Update(crc, [0, 0, 0, 0]);
        crc = ~Crc32c.Update(crc, packet[12..]);
        // The CRC is stored least significant byte first (RFC 9260 Appendix A).
        return BinaryPrimitives.ReadUInt32LittleEndian(packet[8..]) == crc;
    }

    /// <summary>Writes the checksum into a finished packet.</summary>
    public static void WriteChecksum(Span<byte> packet)
    {
        packet[8..12].Clear();
        BinaryPrimitives.WriteUInt32LittleEndian(packet[8..], Crc32c.Compute(packet));
    }
}

/// <summary>One chunk seen inside a packet: type, flags, and the value after the 4-byte chunk header.</summary>
public readonly ref struct SctpChunk
{
    public SctpChunk(byte type, byte flags, ReadOnlySpan<byte> value, ReadOnlySpan<byte> raw)
    {
        Type = type;
        Flags = flags;
        Value = value;
        Raw = raw;
    }

    public byte Type { get; }

    public byte Flags { get; }

    /// <summary>Chunk value (without header or padding).</summary>
    public ReadOnlySpan<byte> Value { get; }

    /// <summary>Whole chunk including its header, without padding.</summary>
    public ReadOnlySpan<byte> Raw { get; }
}

/// <summary>Walks the chunks of a packet, rejecting lengths that lie.</summary>
public ref struct SctpChunkReader
{
    private ReadOnlySpan<byte> _rest;

    /// <summary>Reads chunks of <paramref name="packet"/> (the whole packet, common header included).</summary>
    public SctpChunkReader(ReadOnlySpan<byte> packet)
    {
        _rest = packet.Length >= SctpPacket.HeaderLength ? packet[SctpPacket.HeaderLength..] : default;
        Error = null;
    }

    /// <summary>Why reading stopped early, or null at a clean end.</summary>
    public string? Error { get; private set; }

    public bool TryRead(out SctpChunk chunk)
    {
        chunk = default;
        if (_rest.IsEmpty)
        {
            return false;
        }

        if (_rest.Length < 4)
        {
            Error = "trailing bytes shorter than a chunk header";
            _rest = default;
            return false;
        }

        int length = BinaryPrimitives.ReadUInt16BigEndian(_rest[2..]);
        if (length < 4 || length > _rest.Length)
        {
            Error = $"chunk length {length} outside 4..{_rest.Length}";
            _rest = default;
            return false;
        }

        chunk = new SctpChunk(_rest[0], _rest[1], _rest[4..length], _rest[..length]);
        int padded = (length + 3) & ~3;
        _rest = padded >= _rest.Length ? default : _rest[padded..];
        return true;
    }
}

/// <summary>Builds one packet into a caller buffer: header, chunks (padded to 4 bytes), checksum.</summary>
public ref struct SctpPacketWriter
{
    private readonly Span<byte> _buffer;

    public SctpPacketWriter(Span<byte> buffer, ushort sourcePort, ushort destinationPort, uint verificationTag)
    {
        _buffer = buffer;
        BinaryPrimitives.WriteUInt16BigEndian(buffer, sourcePort);
        BinaryPrimitives.WriteUInt16BigEndian(buffer[2..], destinationPort);
        BinaryPrimitives.WriteUInt32BigEndian(buffer[4..], verificationTag);
        buffer[8..12].Clear();
        Length = SctpPacket.HeaderLength;
    }

    /// <summary>Bytes written so far (always a multiple of 4 between chunks).</summary>
    public int Length { get; private set; }

    public readonly int Remaining => _buffer.Length - Length;

    /// <summary>True when only the common header has been written.</summary>
    public readonly bool IsEmpty => Length == SctpPacket.HeaderLength;

    /// <summary>Starts a chunk and returns its offset; the value follows with the Write methods.</summary>
    public int BeginChunk(byte type, byte flags)
    {
        int start = Length;
        _buffer[start] = type;
        _buffer[start + 1] = flags;
        Length += 4;
        return start;
    }

    /// <summary>Sets the chunk length and pads it to 4 bytes with zeros.</summary>
    public void EndChunk(int start)
    {
        int length = Length - start;
        BinaryPrimitives.WriteUInt16BigEndian(_buffer[(start + 2)..], (ushort)length);
        Pad();
    }

    public void SetFlags(int chunkStart, byte flags) => _buffer[chunkStart + 1] = flags;

    /// <summary>Writes a whole chunk that was serialized before (header included, unpadded).</summary>
    public void WriteRawChunk(scoped ReadOnlySpan<byte> chunk)
    {
        WriteBytes(chunk);
        Pad();
    }

    public void WriteByte(byte value) => _buffer[Length++] = value;

    public void WriteUInt16(ushort value)
    {
        BinaryPrimitives.WriteUInt16BigEndian(_buffer[Length..], value);
        Length += 2;
    }

    public void WriteUInt32(uint value)
    {
        BinaryPrimitives.WriteUInt32BigEndian(_buffer[Length..], value);
        Length += 4;
    }

    public void WriteUInt64(ulong value)
    {
        BinaryPrimitives.WriteUInt64BigEndian(_buffer[Length..], value);
        Length += 8;
    }

    public void WriteBytes(scoped ReadOnlySpan<byte> value)
    {
        value.CopyTo(_buffer[Length..]);
        Length += value.Length;
    }

    /// <summary>Writes a TLV parameter (or error cause) header and value, padded.</summary>
    public void WriteParameter(ushort type, scoped ReadOnlySpan<byte> value)
    {
        WriteUInt16(type);
        WriteUInt16((ushort)(4 + value.Length));
        WriteBytes(value);
        Pad();
    }

    public void Pad()
    {
        while ((Length & 3) != 0)
        {
            _buffer[Length++] = 0;
        }
    }

    /// <summary>Computes the checksum and returns the packet length.</summary>
    public readonly int Finish()
    {
        SctpPacket.WriteChecksum(_buffer[..Length]);
        return Length;
    }
}
