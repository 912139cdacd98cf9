using System.Buffers.Binary;
using System.Security.Cryptography;

namespace WebRtcAsr.Rtc.Dtls;

/// <summary>
/// One direction of AES-128-GCM record protection (RFC 5288 with RFC 6347 record numbers):
/// nonce = 4-byte implicit salt || 8-byte explicit nonce (we send epoch||sequence, which is
/// unique per key); AAD = epoch||sequence || type || version || plaintext length.
/// </summary>
internal sealed class DtlsGcmRecordCipher : IDisposable
{
    private readonly AesGcm _aes;
    private readonly byte[] _salt;

    public DtlsGcmRecordCipher(ReadOnlySpan<byte> key, ReadOnlySpan<byte> salt)
    {
        _aes = new AesGcm(key, DtlsWire.GcmTagLength);
        _salt = salt.ToArray();
    }

    /// <summary>Encrypts <paramref name="plaintext"/> into <paramref name="fragment"/> (explicit nonce, ciphertext, tag).</summary>
    public int Seal(in DtlsRecordHeader header, ReadOnlySpan<byte> plaintext, Span<byte> fragment)
    {
        Span<byte> nonce = stackalloc byte[12];
        _salt.CopyTo(nonce);
        WriteEpochSequence(nonce[4..], header.Epoch, header.SequenceNumber);
        Span<byte> aad = stackalloc byte[13];
        WriteAad(aad, header, plaintext.Length);
        nonce[4..].CopyTo(fragment);
        _aes.Encrypt(nonce, plaintext, fragment.Slice(DtlsWire.GcmExplicitNonceLength, plaintext.Length),
            fragment.Slice(DtlsWire.GcmExplicitNonceLength + plaintext.Length, DtlsWire.GcmTagLength), aad);
        return plaintext.Length + DtlsWire.GcmRecordOverhead;
    }

    /// <summary>Authenticates and decrypts one record fragment; false when it does not authenticate.</summary>
    public bool TryOpen(in DtlsRecordHeader header, ReadOnlySpan<byte> fragment, Span<byte> plaintext, out int length)
    {
        length = fragment.Length - DtlsWire.GcmRecordOverhead;
        if (length < 0 || plaintext.Length < length)
        {
            length = 0;
            return false;
        }
        Span<byte> nonce = stackalloc byte[12];
        _salt.CopyTo(nonce);
        fragment[..DtlsWire.GcmExplicitNonceLength].CopyTo(nonce[4..]);
        Span<byte> aad = stackalloc byte[13];
        WriteAad(aad, header, length);
        try
        {
            _aes.Decrypt(nonce, fragment.Slice(DtlsWire.GcmExplicitNonceLength, length),
                fragment.Slice(DtlsWire.GcmExplicitNonceLength + length, DtlsWire.GcmTagLength), plaintext[..length], aad);
            return true;
        }
        catch (AuthenticationTagMismatchException)
        {
            length = 0;
            return false;
        }
    }

    private static void WriteAad(Span<byte> aad, in DtlsRecordHeader header, int plaintextLength)
    {
        WriteEpochSequence(aad, header.Epoch, header.SequenceNumber);
        aad[8] = (byte)header.Type;
        BinaryPrimitives.WriteUInt16BigEndian(aad[9..], header.Version);
        BinaryPrimitives.WriteUInt16BigEndian(aad[11..], (ushort)plaintextLength);
    }

    private static void WriteEpochSequence(Span<byte> d, ushort epoch, long sequence)
    {
        BinaryPrimitives.WriteUInt16BigEndian(d, epoch);
        BinaryPrimitives.WriteUInt16BigEndian(d[2..], (ushort)(sequence >> 32));
        BinaryPrimitives.WriteUInt32BigEndian(d[4..], (uint)sequence);
    }

    public void Dispose() => _aes.Dispose();
}
