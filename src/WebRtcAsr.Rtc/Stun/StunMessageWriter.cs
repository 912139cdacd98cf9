using System.Buffers.Binary;
using System.Net;
using System.Text;

namespace WebRtcAsr.Rtc.Stun;

/// <summary>
/// Builds a STUN message into a caller-provided buffer: header first, then attributes in call
/// order, then optionally MESSAGE-INTEGRITY and FINGERPRINT, which must come last in that order.
/// The header's length field is kept current after every attribute.
/// </summary>
public ref struct StunMessageWriter
{
    private readonly Span<byte> _buffer;
    private int _length;

    public StunMessageWriter(Span<byte> buffer, StunMessageType type, StunTransactionId transactionId)
    {
        if (buffer.Length < StunMessage.HeaderLength)
        {
            throw new ArgumentException("buffer shorter than a STUN header", nameof(buffer));
        }

        _buffer = buffer;
        BinaryPrimitives.WriteUInt16BigEndian(buffer, type.ToWire());
        BinaryPrimitives.WriteUInt32BigEndian(buffer[4..], StunMessage.MagicCookie);
        transactionId.WriteTo(buffer[8..]);
        _length = StunMessage.HeaderLength;
        UpdateLengthField();
    }

    /// <summary>The byte that fills attribute padding. Zero by default; RFC 5769's vectors use 0x20.</summary>
    public byte PaddingByte { get; set; }

    /// <summary>Bytes written so far: the whole message once the last attribute is added.</summary>
    public readonly int Length => _length;

    public readonly ReadOnlySpan<byte> Written => _buffer[.._length];

    public void AddBytes(ushort type, scoped ReadOnlySpan<byte> value)
    {
        Span<byte> destination = Reserve(type, value.Length);
        value.CopyTo(destination);
    }

    public void AddString(ushort type, string value)
    {
        int byteCount = Encoding.UTF8.GetByteCount(value);
        Span<byte> destination = Reserve(type, byteCount);
        Encoding.UTF8.GetBytes(value, destination);
    }

    public void AddUsername(string username) => AddString(StunAttributeType.Username, username);

    public void AddSoftware(string software) => AddString(StunAttributeType.Software, software);

    public void AddUInt32(ushort type, uint value) => BinaryPrimitives.WriteUInt32BigEndian(Reserve(type, 4), value);

    public void AddUInt64(ushort type, ulong value) => BinaryPrimitives.WriteUInt64BigEndian(Reserve(type, 8), value);

    public void AddPriority(uint priority) => AddUInt32(StunAttributeType.Priority, priority);

    public void AddUseCandidate() => Reserve(StunAttributeType.UseCandidate, 0);

    public void AddIceControlling(ulong tieBreaker) => AddUInt64(StunAttributeType.IceControlling, tieBreaker);

    public void AddIceControlled(ulong tieBreaker) => AddUInt64(StunAttributeType.IceControlled, tieBreaker);

    public void AddXorMappedAddress(IPEndPoint endPoint)
    {
        Span<byte> value = Reserve(StunAttributeType.XorMappedAddress, StunAddressCodec.EncodedLength(endPoint));
        StunAddressCodec.Write(value, endPoint, xor: true, _buffer[..StunMessage.HeaderLength]);
    }

    public void AddErrorCode(int code, string reason)
    {
        if (code < 300 || code > 699)
        {
            throw new ArgumentOutOfRangeException(nameof(code), "STUN error codes are 300-699");
        }

        int reasonLength = Encoding.UTF8.GetByteCount(reason);
        Span<byte> value = Reserve(StunAttributeType.ErrorCode, 4 + reasonLength);
        value[0] = 0;
        value[1] = 0;
        value[2] = (byte)(code / 100);
        value[3] = (byte)(code % 100);
        Encoding.UTF8.GetBytes(reason, value[4..]);
    }

    public void AddUnknownAttributes(scoped ReadOnlySpan<ushort> types)
    {
        Span<byte> value = Reserve(StunAttributeType.UnknownAttributes, types.Length * 2);
        for (int i = 0; i < types.Length; i++)
        {
            BinaryPrimitives.WriteUInt16BigEndian(value[(2 * i)..], types[i]);
        }
    }

    /// <summary>Appends MESSAGE-INTEGRITY (HMAC-SHA1 keyed by <paramref name="key"/>) over everything written so far.</summary>
    public void AddMessageIntegrity(scoped ReadOnlySpan<byte> key)
    {
        int offset = _length;
        Span<byte> value = Reserve(StunAttributeType.MessageIntegrity, StunIntegrity.Sha1Length);
        StunIntegrity.ComputeSha1(_buffer, offset, key, value);
    }

    /// <summary>Appends MESSAGE-INTEGRITY-SHA256 (full 32 bytes) over everything written so far.</summary>
    public void AddMessageIntegritySha256(scoped ReadOnlySpan<byte> key)
    {
        int offset = _length;
        Span<byte> value = Reserve(StunAttributeType.MessageIntegritySha256, StunIntegrity.Sha256Length);
        StunIntegrity.ComputeSha256(_buffer, offset, StunIntegrity.Sha256Length, key, value);
    }

    /// <summary>Appends FINGERPRINT; nothing may follow it.</summary>
    public void AddFingerprint()
    {
        int offset = _length;
        Span<byte> value = Reserve(StunAttributeType.Fingerprint, 4);
        BinaryPrimitives.WriteUInt32BigEndian(value, StunIntegrity.ComputeFingerprint(_buffer, offset));
    }

    private Span<byte> Reserve(ushort type, int valueLength)
    {
        if (valueLength > ushort.MaxValue)
        {
            throw new ArgumentOutOfRangeException(nameof(valueLength), "attribute value too long");
        }

        int padded = (valueLength + 3) & ~3;
        if (_buffer.Length - _length < 4 + padded)
        {
            throw new ArgumentException("buffer too small for the STUN message");
        }

        BinaryPrimitives.WriteUInt16BigEndian(_buffer[_length..], type);
        BinaryPrimitives.WriteUInt16BigEndian(_buffer[(_length + 2)..], (ushort)valueLength);
        Span<byte> value = _buffer.Slice(_length + 4, valueLength);
        _buffer.Slice(_length + 4 + valueLength, padded - valueLength).Fill(PaddingByte);
        _length += 4 + padded;
        UpdateLengthField();
        return value;
    }

    private readonly void UpdateLengthField() =>
        BinaryPrimitives.WriteUInt16BigEndian(_buffer[2..], (ushort)(_length - StunMessage.HeaderLength));
}
