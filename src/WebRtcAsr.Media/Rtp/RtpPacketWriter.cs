using System.Buffers.Binary;

namespace WebRtcAsr.Media.Rtp;

/// <summary>
/// Writes RTP packets into caller-provided memory (for tests, load generators and SIP media echo).
/// Header extension elements are added in the one-byte form when every id is 1-14 and every
/// element is 1-16 bytes, otherwise in the two-byte form (RFC 8285).
/// </summary>
public ref struct RtpPacketWriter
{
    private readonly Span<byte> _buffer;
    private readonly bool _twoByte;
    private int _offset;
    private int _extensionStart;
    private bool _payloadWritten;

    /// <summary>
    /// Starts a packet: writes the fixed header and the CSRC list. With twoByteExtensions every
    /// element added uses the two-byte extension form.
    /// </summary>
    public RtpPacketWriter(Span<byte> buffer, in RtpHeader header, ReadOnlySpan<uint> csrcs = default,
        bool twoByteExtensions = false)
    {
        if (csrcs.Length > 15)
        {
            throw new ArgumentOutOfRangeException(nameof(csrcs), "At most 15 CSRCs.");
        }

        int needed = RtpPacketView.FixedHeaderLength + (csrcs.Length * 4);
        if (buffer.Length < needed)
        {
            throw new ArgumentException("Buffer too small for the RTP header.", nameof(buffer));
        }

        _buffer = buffer;
        _twoByte = twoByteExtensions;
        _buffer[0] = (byte)(0x80 | csrcs.Length);
        _buffer[1] = (byte)((header.Marker ? 0x80 : 0) | (header.PayloadType & 0x7F));
        BinaryPrimitives.WriteUInt16BigEndian(_buffer[2..], header.SequenceNumber);
        BinaryPrimitives.WriteUInt32BigEndian(_buffer[4..], header.Timestamp);
        BinaryPrimitives.WriteUInt32BigEndian(_buffer[8..], header.Ssrc);
        _offset = RtpPacketView.FixedHeaderLength;
        foreach (uint csrc in csrcs)
        {
            BinaryPrimitives.WriteUInt32BigEndian(_buffer[_offset..], csrc);
            _offset += 4;
        }

        _extensionStart = -1;
        _payloadWritten = false;
    }

    /// <summary>Adds one header extension element. All elements must come before the payload.</summary>
    public void AddExtension(int id, ReadOnlySpan<byte> data)
    {
        if (_payloadWritten)
        {
            throw new InvalidOperationException("Extensions must be added before the payload.");
        }

        if (_twoByte ? id is < 1 or > 255 || data.Length > 255 : id is < 1 or > 14 || data.Length is < 1 or > 16)
        {
            throw new ArgumentOutOfRangeException(nameof(id), "Element does not fit the chosen RFC 8285 form.");
        }

        if (_extensionStart < 0)
        {
            EnsureRoom(4);
            _buffer[0] |= 0x10;
            BinaryPrimitives.WriteUInt16BigEndian(_buffer[_offset..],
                _twoByte ? RtpHeaderExtensionReader.TwoByteProfile : RtpHeaderExtensionReader.OneByteProfile);
            _offset += 4;
            _extensionStart = _offset;
        }

        EnsureRoom((_twoByte ? 2 : 1) + data.Length);
        if (_twoByte)
        {
            _buffer[_offset++] = (byte)id;
            _buffer[_offset++] = (byte)data.Length;
        }
        else
        {
            _buffer[_offset++] = (byte)((id << 4) | (data.Length - 1));
        }

        data.CopyTo(_buffer[_offset..]);
        _offset += data.Length;
    }

    /// <summary>Writes the payload (and optional padding) and returns the packet length.</summary>
    public int Complete(ReadOnlySpan<byte> payload, int paddingLength = 0)
    {
        if (paddingLength is < 0 or > 255)
        {
            throw new ArgumentOutOfRangeException(nameof(paddingLength));
        }

        if (_extensionStart >= 0)
        {
            // Pad the extension block to a 32-bit boundary with zero (padding) bytes.
            int blockLength = _offset - _extensionStart;
            int padded = (blockLength + 3) & ~3;
            EnsureRoom(padded - blockLength);
            _buffer.Slice(_offset, padded - blockLength).Clear();
            _offset += padded - blockLength;
            BinaryPrimitives.WriteUInt16BigEndian(_buffer[(_extensionStart - 2)..], (ushort)(padded / 4));
        }

        EnsureRoom(payload.Length + paddingLength);
        payload.CopyTo(_buffer[_offset..]);
        _offset += payload.Length;
        if (paddingLength > 0)
        {
            _buffer[0] |= 0x20;
            _buffer.Slice(_offset, paddingLength - 1).Clear();
            _offset += paddingLength;
            _buffer[_offset - 1] = (byte)paddingLength;
        }

        _payloadWritten = true;
        return _offset;
    }

    private readonly void EnsureRoom(int count)
    {
        if (_buffer.Length - _offset < count)
        {
            throw new ArgumentException("Buffer too small for the RTP packet.");
        }
    }

    /// <summary>Writes a packet without extensions in one call; returns its length.</summary>
    public static int Write(Span<byte> buffer, in RtpHeader header, ReadOnlySpan<byte> payload)
    {
        var writer = new RtpPacketWriter(buffer, header);
        return writer.Complete(payload);
    }
}
