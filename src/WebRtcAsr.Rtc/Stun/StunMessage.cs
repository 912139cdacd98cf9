using System.Buffers.Binary;
using System.Net;
using System.Text;

namespace WebRtcAsr.Rtc.Stun;

/// <summary>
/// A parsed STUN message (RFC 8489): the header, the attributes ICE uses, and where the integrity
/// and fingerprint attributes sit in the original bytes so that they can be verified against them.
/// Parsing never throws; a malformed message yields a reason.
/// </summary>
public sealed class StunMessage
{
    public const uint MagicCookie = 0x2112A442;
    public const int HeaderLength = 20;

    /// <summary>Attribute count limit: a Binding request carries fewer than ten; this bounds the work a hostile packet can cause.</summary>
    public const int MaxAttributes = 64;

    private StunMessage()
    {
    }

    public StunMessageType Type { get; private set; }
    public StunTransactionId TransactionId { get; private set; }

    /// <summary>Total message length in bytes, header included.</summary>
    public int Length { get; private set; }

    public string? Username { get; private set; }
    public string? Software { get; private set; }
    public string? Realm { get; private set; }
    public string? Nonce { get; private set; }
    public IPEndPoint? XorMappedAddress { get; private set; }
    public IPEndPoint? MappedAddress { get; private set; }
    public uint? Priority { get; private set; }
    public bool UseCandidate { get; private set; }
    public ulong? IceControlling { get; private set; }
    public ulong? IceControlled { get; private set; }

    /// <summary>The ERROR-CODE attribute: class * 100 + number, e.g. 401.</summary>
    public int? ErrorCode { get; private set; }
    public string? ErrorReason { get; private set; }

    /// <summary>Types listed in an UNKNOWN-ATTRIBUTES attribute (in a 420 response).</summary>
    public IReadOnlyList<ushort> UnknownAttributes { get; private set; } = [];

    /// <summary>Comprehension-required attribute types this parser did not understand (a request with any gets 420).</summary>
    public IReadOnlyList<ushort> UnknownComprehensionRequired { get; private set; } = [];

    /// <summary>Offset of the MESSAGE-INTEGRITY attribute header, or -1.</summary>
    public int MessageIntegrityOffset { get; private set; } = -1;

    /// <summary>Offset of the MESSAGE-INTEGRITY-SHA256 attribute header, or -1.</summary>
    public int MessageIntegritySha256Offset { get; private set; } = -1;

    /// <summary>Length of the MESSAGE-INTEGRITY-SHA256 value (16..32, may be truncated).</summary>
    public int MessageIntegritySha256Length { get; private set; }

    /// <summary>Offset of the FINGERPRINT attribute header, or -1.</summary>
    public int FingerprintOffset { get; private set; } = -1;

    public bool HasMessageIntegrity => MessageIntegrityOffset >= 0;
    public bool HasFingerprint => FingerprintOffset >= 0;

    /// <summary>Whether the bytes look like a STUN message (RFC 7983 first byte, cookie, length) without parsing attributes.</summary>
    public static bool IsStun(ReadOnlySpan<byte> data) =>
        data.Length >= HeaderLength
        && (data[0] & 0xC0) == 0
        && BinaryPrimitives.ReadUInt32BigEndian(data[4..]) == MagicCookie
        && (BinaryPrimitives.ReadUInt16BigEndian(data[2..]) & 3) == 0;

    public static bool TryParse(ReadOnlySpan<byte> data, out StunMessage? message, out string? error)
    {
        message = null;
        if (data.Length < HeaderLength)
        {
            error = "shorter than a STUN header";
            return false;
        }

        if ((data[0] & 0xC0) != 0)
        {
            error = "top two bits of the message type are not zero";
            return false;
        }

        if (BinaryPrimitives.ReadUInt32BigEndian(data[4..]) != MagicCookie)
        {
            error = "wrong magic cookie";
            return false;
        }

        int bodyLength = BinaryPrimitives.ReadUInt16BigEndian(data[2..]);
        if ((bodyLength & 3) != 0)
        {
            error = "message length is not a multiple of 4";
            return false;
        }

        if (HeaderLength + bodyLength != data.Length)
        {
            error = "message length does not match the datagram";
            return false;
        }

        var m = new StunMessage
        {
            Type = StunMessageType.FromWire(BinaryPrimitives.ReadUInt16BigEndian(data)),
            TransactionId = StunTransactionId.Read(data[8..]),
            Length = data.Length,
        };
        ReadOnlySpan<byte> header = data[..HeaderLength];
        List<ushort>? unknown = null;
        int offset = HeaderLength;
        int count = 0;
        while (offset < data.Length)
        {
            if (++count > MaxAttributes)
            {
                error = "too many attributes";
                return false;
            }

            if (data.Length - offset < 4)
            {
                error = "truncated attribute header";
                return false;
            }

            ushort type = BinaryPrimitives.ReadUInt16BigEndian(data[offset..]);
            int length = BinaryPrimitives.ReadUInt16BigEndian(data[(offset + 2)..]);
            int padded = (length + 3) & ~3;
            if (data.Length - offset - 4 < padded)
            {
                error = "attribute runs past the end of the message";
                return false;
            }

            ReadOnlySpan<byte> value = data.Slice(offset + 4, length);
            if (m.FingerprintOffset >= 0)
            {
                error = "attribute after FINGERPRINT";
                return false;
            }

            // RFC 8489 14.5/14.6: after MESSAGE-INTEGRITY only MESSAGE-INTEGRITY-SHA256 and
            // FINGERPRINT count; anything else there is ignored.
            bool afterIntegrity = m.MessageIntegrityOffset >= 0 || m.MessageIntegritySha256Offset >= 0;
            if (afterIntegrity && type != StunAttributeType.Fingerprint && type != StunAttributeType.MessageIntegritySha256)
            {
                offset += 4 + padded;
                continue;
            }

            if (!m.TryReadAttribute(type, value, offset, header, ref unknown, out error))
            {
                return false;
            }

            offset += 4 + padded;
        }

        if (unknown is not null)
        {
            m.UnknownComprehensionRequired = unknown;
        }

        message = m;
        error = null;
        return true;
    }

    private bool TryReadAttribute(ushort type, ReadOnlySpan<byte> value, int offset, ReadOnlySpan<byte> header, ref List<ushort>? unknown, out string? error)
    {
        error = null;
        switch (type)
        {
            case StunAttributeType.Username:
                if (value.Length > 513)
                {
                    error = "USERNAME longer than 513 bytes";
                    return false;
                }

                Username ??= DecodeUtf8(value);
                break;
            case StunAttributeType.Software:
                Software ??= DecodeUtf8(value);
                break;
            case StunAttributeType.Realm:
                Realm ??= DecodeUtf8(value);
                break;
            case StunAttributeType.Nonce:
                Nonce ??= DecodeUtf8(value);
                break;
            case StunAttributeType.XorMappedAddress:
                if (!StunAddressCodec.TryRead(value, xor: true, header, out var xorAddress))
                {
                    error = "malformed XOR-MAPPED-ADDRESS";
                    return false;
                }

                XorMappedAddress ??= xorAddress;
                break;
            case StunAttributeType.MappedAddress:
                if (!StunAddressCodec.TryRead(value, xor: false, header, out var address))
                {
                    error = "malformed MAPPED-ADDRESS";
                    return false;
                }

                MappedAddress ??= address;
                break;
            case StunAttributeType.Priority:
                if (value.Length != 4)
                {
                    error = "PRIORITY is not 4 bytes";
                    return false;
                }

                Priority ??= BinaryPrimitives.ReadUInt32BigEndian(value);
                break;
            case StunAttributeType.UseCandidate:
                UseCandidate = true;
                break;
            case StunAttributeType.IceControlling:
            case StunAttributeType.IceControlled:
                if (value.Length != 8)
                {
                    error = "ICE-CONTROLLING/ICE-CONTROLLED is not 8 bytes";
                    return false;
                }

                ulong tieBreaker = BinaryPrimitives.ReadUInt64BigEndian(value);
                if (type == StunAttributeType.IceControlling)
                {
                    IceControlling ??= tieBreaker;
                }
                else
                {
                    IceControlled ??= tieBreaker;
                }

                break;
            case StunAttributeType.ErrorCode:
                if (value.Length < 4)
                {
                    error = "ERROR-CODE shorter than 4 bytes";
                    return false;
                }

                int errorClass = value[2] & 0x07;
                int number = value[3];
                if (errorClass < 3 || errorClass > 6 || number > 99)
                {
                    error = "ERROR-CODE out of range";
                    return false;
                }

                ErrorCode ??= errorClass * 100 + number;
                ErrorReason ??= DecodeUtf8(value[4..]);
                break;
            case StunAttributeType.UnknownAttributes:
                if ((value.Length & 1) != 0)
                {
                    error = "UNKNOWN-ATTRIBUTES has an odd length";
                    return false;
                }

                var types = new ushort[value.Length / 2];
                for (int i = 0; i < types.Length; i++)
                {
                    types[i] = BinaryPrimitives.ReadUInt16BigEndian(value[(2 * i)..]);
                }

                UnknownAttributes = types;
                break;
            case StunAttributeType.MessageIntegrity:
                if (value.Length != StunIntegrity.Sha1Length)
                {
                    error = "MESSAGE-INTEGRITY is not 20 bytes";
                    return false;
                }

                MessageIntegrityOffset = offset;
                break;
            case StunAttributeType.MessageIntegritySha256:
                // RFC 8489 14.6: 16 to 32 bytes, a multiple of 4.
                if (value.Length < 16 || value.Length > 32 || (value.Length & 3) != 0)
                {
                    error = "MESSAGE-INTEGRITY-SHA256 has an invalid length";
                    return false;
                }

                if (MessageIntegritySha256Offset < 0)
                {
                    MessageIntegritySha256Offset = offset;
                    MessageIntegritySha256Length = value.Length;
                }

                break;
            case StunAttributeType.Fingerprint:
                if (value.Length != 4)
                {
                    error = "FINGERPRINT is not 4 bytes";
                    return false;
                }

                FingerprintOffset = offset;
                break;
            default:
                if (StunAttributeType.IsComprehensionRequired(type))
                {
                    unknown ??= [];
                    if (!unknown.Contains(type))
                    {
                        unknown.Add(type);
                    }
                }

                break;
        }

        return true;
    }

    private static string DecodeUtf8(ReadOnlySpan<byte> value) => Encoding.UTF8.GetString(value);

    /// <summary>Verifies MESSAGE-INTEGRITY (HMAC-SHA1) against <paramref name="data"/>, the exact bytes this message was parsed from.</summary>
    public bool VerifyMessageIntegrity(ReadOnlySpan<byte> data, ReadOnlySpan<byte> key) =>
        MessageIntegrityOffset >= 0 && data.Length == Length && StunIntegrity.VerifySha1(data, MessageIntegrityOffset, key);

    /// <summary>Verifies MESSAGE-INTEGRITY-SHA256 against the exact bytes this message was parsed from.</summary>
    public bool VerifyMessageIntegritySha256(ReadOnlySpan<byte> data, ReadOnlySpan<byte> key) =>
        MessageIntegritySha256Offset >= 0 && data.Length == Length
        && StunIntegrity.VerifySha256(data, MessageIntegritySha256Offset, MessageIntegritySha256Length, key);

    /// <summary>Verifies the FINGERPRINT attribute against the exact bytes this message was parsed from.</summary>
    public bool VerifyFingerprint(ReadOnlySpan<byte> data) =>
        FingerprintOffset >= 0 && data.Length == Length && StunIntegrity.VerifyFingerprint(data, FingerprintOffset);
}
