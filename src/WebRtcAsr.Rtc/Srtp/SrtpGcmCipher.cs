using System.Buffers;
using System.Buffers.Binary;
using System.Security.Cryptography;

namespace WebRtcAsr.Rtc.Srtp;

/// <summary>
/// AEAD_AES_128_GCM / AEAD_AES_256_GCM for SRTP and SRTCP (RFC 7714): the RTP header is the
/// associated data, the 12-byte IV is the session salt XOR (0 | SSRC | ROC | SEQ), the 16-byte tag
/// follows the ciphertext; SRTCP appends E|index after the tag and authenticates it as AAD.
/// </summary>
internal sealed class SrtpGcmCipher : ISrtpCipher
{
    private const int TagLength = 16;

    private readonly AesGcm _rtp;
    private readonly AesGcm _rtcp;
    private readonly byte[] _rtpSalt;
    private readonly byte[] _rtcpSalt;

    public SrtpGcmCipher(SrtpSessionKeys rtp, SrtpSessionKeys rtcp)
    {
        _rtp = new AesGcm(rtp.EncryptionKey, TagLength);
        _rtcp = new AesGcm(rtcp.EncryptionKey, TagLength);
        _rtpSalt = rtp.Salt;
        _rtcpSalt = rtcp.Salt;
    }

    public int RtpTagLength => TagLength;

    public int RtcpTagLength => TagLength;

    public void ProtectRtp(Span<byte> packet, int length, int headerLength, uint ssrc, ulong index)
    {
        Span<byte> iv = stackalloc byte[12];
        BuildRtpIv(iv, _rtpSalt, ssrc, index);
        Span<byte> payload = packet[headerLength..length];
        _rtp.Encrypt(iv, payload, payload, packet.Slice(length, TagLength), packet[..headerLength]);
    }

    public bool UnprotectRtp(Span<byte> packet, int headerLength, uint ssrc, ulong index)
    {
        Span<byte> iv = stackalloc byte[12];
        BuildRtpIv(iv, _rtpSalt, ssrc, index);
        int end = packet.Length - TagLength;
        Span<byte> payload = packet[headerLength..end];
        try
        {
            _rtp.Decrypt(iv, payload, packet.Slice(end, TagLength), payload, packet[..headerLength]);
            return true;
        }
        catch (AuthenticationTagMismatchException)
        {
            return false;
        }
    }

    public int ProtectRtcp(Span<byte> packet, int length, uint ssrc, uint index)
    {
        Span<byte> iv = stackalloc byte[12];
        BuildRtcpIv(iv, _rtcpSalt, ssrc, index);
        uint trailer = 0x80000000u | index;
        Span<byte> aad = stackalloc byte[12];
        packet[..8].CopyTo(aad);
        BinaryPrimitives.WriteUInt32BigEndian(aad[8..], trailer);
        Span<byte> payload = packet[8..length];
        _rtcp.Encrypt(iv, payload, payload, packet.Slice(length, TagLength), aad);
        BinaryPrimitives.WriteUInt32BigEndian(packet[(length + TagLength)..], trailer);
        return length + TagLength + 4;
    }

    public bool UnprotectRtcp(Span<byte> packet, int rtcpLength, uint ssrc, uint index, bool encrypted)
    {
        Span<byte> iv = stackalloc byte[12];
        BuildRtcpIv(iv, _rtcpSalt, ssrc, index);
        ReadOnlySpan<byte> trailer = packet.Slice(rtcpLength + TagLength, 4);
        ReadOnlySpan<byte> tag = packet.Slice(rtcpLength, TagLength);
        try
        {
            if (encrypted)
            {
                Span<byte> aad = stackalloc byte[12];
                packet[..8].CopyTo(aad);
                trailer.CopyTo(aad[8..]);
                Span<byte> payload = packet[8..rtcpLength];
                _rtcp.Decrypt(iv, payload, tag, payload, aad);
                return true;
            }

            // Authentication only (RFC 7714 9.2): the whole packet and E|index are AAD.
            int aadLength = rtcpLength + 4;
            byte[] rented = ArrayPool<byte>.Shared.Rent(aadLength);
            try
            {
                packet[..rtcpLength].CopyTo(rented);
                trailer.CopyTo(rented.AsSpan(rtcpLength));
                _rtcp.Decrypt(iv, [], tag, [], rented.AsSpan(0, aadLength));
                return true;
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
        catch (AuthenticationTagMismatchException)
        {
            return false;
        }
    }

    /// <summary>IV = salt XOR (00 00 | SSRC | ROC | SEQ) (RFC 7714 8.1).</summary>
    internal static void BuildRtpIv(Span<byte> iv, ReadOnlySpan<byte> salt, uint ssrc, ulong index)
    {
        iv.Clear();
        BinaryPrimitives.WriteUInt32BigEndian(iv[2..], ssrc);
        BinaryPrimitives.WriteUInt32BigEndian(iv[6..], (uint)(index >> 16));
        BinaryPrimitives.WriteUInt16BigEndian(iv[10..], (ushort)index);
        for (int i = 0; i < 12; i++)
        {
            iv[i] ^= salt[i];
        }
    }

    /// <summary>IV = salt XOR (00 00 | SSRC | 00 00 | 0 + 31-bit SRTCP index) (RFC 7714 9.1).</summary>
    internal static void BuildRtcpIv(Span<byte> iv, ReadOnlySpan<byte> salt, uint ssrc, uint index)
    {
        iv.Clear();
        BinaryPrimitives.WriteUInt32BigEndian(iv[2..], ssrc);
        BinaryPrimitives.WriteUInt32BigEndian(iv[8..], index & 0x7FFFFFFF);
        for (int i = 0; i < 12; i++)
        {
            iv[i] ^= salt[i];
        }
    }

    public void Dispose()
    {
        _rtp.Dispose();
        _rtcp.Dispose();
    }
}
