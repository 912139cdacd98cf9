using System.Buffers;
using System.Buffers.Binary;
using System.Security.Cryptography;

namespace WebRtcAsr.Rtc.Stun;

/// <summary>
/// MESSAGE-INTEGRITY, MESSAGE-INTEGRITY-SHA256 and FINGERPRINT computation (RFC 8489 14.5-14.7).
/// Each covers the message up to (not including) its own attribute, with the header's length field
/// set as if the message ended right after that attribute.
/// </summary>
public static class StunIntegrity
{
    public const int Sha1Length = 20;
    public const int Sha256Length = 32;

    /// <summary>"STUN" XORed into the CRC so that FINGERPRINT differs from a plain CRC of other protocols.</summary>
    public const uint FingerprintXor = 0x5354554E;

    private const int StackLimit = 1024;

    /// <summary>The short-term credential key is the password itself (RFC 8489 9.1.1), UTF-8 after OpaqueString.</summary>
    public static byte[] ShortTermKey(string password) => System.Text.Encoding.UTF8.GetBytes(password);

    /// <summary>The long-term credential key: MD5(username ":" realm ":" password) (RFC 8489 9.2.2).</summary>
    public static byte[] LongTermKey(string username, string realm, string password)
    {
#pragma warning disable CA5351 // MD5 is what RFC 8489 prescribes for the long-term key.
        return MD5.HashData(System.Text.Encoding.UTF8.GetBytes($"{username}:{realm}:{password}"));
#pragma warning restore CA5351
    }

    /// <summary>HMAC-SHA1 over <paramref name="message"/>[0..attributeOffset] with the length field adjusted to end after a 24-byte attribute.</summary>
    public static void ComputeSha1(ReadOnlySpan<byte> message, int attributeOffset, ReadOnlySpan<byte> key, Span<byte> destination)
    {
        WithAdjustedLength(message, attributeOffset, 4 + Sha1Length, key, destination, sha256: false);
    }

    public static void ComputeSha256(ReadOnlySpan<byte> message, int attributeOffset, int valueLength, ReadOnlySpan<byte> key, Span<byte> destination)
    {
        WithAdjustedLength(message, attributeOffset, 4 + valueLength, key, destination, sha256: true);
    }

    public static bool VerifySha1(ReadOnlySpan<byte> message, int attributeOffset, ReadOnlySpan<byte> key)
    {
        if (attributeOffset < StunMessage.HeaderLength || attributeOffset + 4 + Sha1Length > message.Length)
        {
            return false;
        }

        Span<byte> mac = stackalloc byte[Sha1Length];
        ComputeSha1(message, attributeOffset, key, mac);
        return CryptographicOperations.FixedTimeEquals(mac, message.Slice(attributeOffset + 4, Sha1Length));
    }

    public static bool VerifySha256(ReadOnlySpan<byte> message, int attributeOffset, int valueLength, ReadOnlySpan<byte> key)
    {
        if (attributeOffset < StunMessage.HeaderLength || attributeOffset + 4 + valueLength > message.Length || valueLength > Sha256Length)
        {
            return false;
        }

        Span<byte> mac = stackalloc byte[Sha256Length];
        ComputeSha256(message, attributeOffset, valueLength, key, mac);
        return CryptographicOperations.FixedTimeEquals(mac[..valueLength], message.Slice(attributeOffset + 4, valueLength));
    }

    /// <summary>CRC-32 of the message up to the FINGERPRINT attribute (length field covering it), XOR 0x5354554e.</summary>
    public static uint ComputeFingerprint(ReadOnlySpan<byte> message, int attributeOffset)
    {
        // The length field must already cover the FINGERPRINT attribute; FINGERPRINT is always last,
        // so for both a received and a message being built it equals attributeOffset - 20 + 8.
        ushort expectedLength = (ushort)(attributeOffset - StunMessage.HeaderLength + 8);
        if (BinaryPrimitives.ReadUInt16BigEndian(message[2..]) == expectedLength)
        {
            return StunCrc32.Compute(message[..attributeOffset]) ^ FingerprintXor;
        }

        Span<byte> header = stackalloc byte[StunMessage.HeaderLength];
        message[..StunMessage.HeaderLength].CopyTo(header);
        BinaryPrimitives.WriteUInt16BigEndian(header[2..], expectedLength);
        return CombinedCrc(header, message[StunMessage.HeaderLength..attributeOffset]) ^ FingerprintXor;
    }

    public static bool VerifyFingerprint(ReadOnlySpan<byte> message, int attributeOffset)
    {
        if (attributeOffset < StunMessage.HeaderLength || attributeOffset + 8 > message.Length)
        {
            return false;
        }

        return ComputeFingerprint(message, attributeOffset) == BinaryPrimitives.ReadUInt32BigEndian(message[(attributeOffset + 4)..]);
    }

    private static uint CombinedCrc(ReadOnlySpan<byte> first, ReadOnlySpan<byte> second)
    {
        int total = first.Length + second.Length;
        byte[]? rented = total > StackLimit ? ArrayPool<byte>.Shared.Rent(total) : null;
        Span<byte> buffer = rented ?? stackalloc byte[StackLimit];
        first.CopyTo(buffer);
        second.CopyTo(buffer[first.Length..]);
        uint crc = StunCrc32.Compute(buffer[..total]);
        if (rented is not null)
        {
            ArrayPool<byte>.Shared.Return(rented);
        }

        return crc;
    }

    private static void WithAdjustedLength(ReadOnlySpan<byte> message, int attributeOffset, int attributeSize, ReadOnlySpan<byte> key, Span<byte> destination, bool sha256)
    {
        // The HMAC input is the message up to the attribute, with the length field rewritten so that
        // it counts everything up to and including this attribute (and nothing after it).
        int total = attributeOffset;
        byte[]? rented = total > StackLimit ? ArrayPool<byte>.Shared.Rent(total) : null;
        Span<byte> buffer = rented ?? stackalloc byte[StackLimit];
        Span<byte> input = buffer[..total];
        message[..total].CopyTo(input);
        BinaryPrimitives.WriteUInt16BigEndian(input[2..], (ushort)(attributeOffset - StunMessage.HeaderLength + attributeSize));
        if (sha256)
        {
            HMACSHA256.HashData(key, input, destination);
        }
        else
        {
#pragma warning disable CA5350 // HMAC-SHA1 is what MESSAGE-INTEGRITY is.
            HMACSHA1.HashData(key, input, destination);
#pragma warning restore CA5350
        }

        if (rented is not null)
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }
}
