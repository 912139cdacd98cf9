using System.Buffers.Binary;
using System.Security.Cryptography;

namespace WebRtcAsr.Rtc.Srtp;

/// <summary>
/// AES_CM_128 encryption with HMAC-SHA1 authentication (RFC 3711 4.1.1, 4.2.1). The HMAC objects
/// and the counter-mode buffers are created once per context and reused for every packet.
/// </summary>
internal sealed class SrtpCmHmacCipher : ISrtpCipher
{
    private const int SrtcpTagLength = 10;

    private readonly AesCounterMode _rtpCipher;
    private readonly AesCounterMode _rtcpCipher;
    private readonly IncrementalHash _rtpMac;
    private readonly IncrementalHash _rtcpMac;
    private readonly byte[] _rtpSalt;
    private readonly byte[] _rtcpSalt;

    public SrtpCmHmacCipher(SrtpSessionKeys rtp, SrtpSessionKeys rtcp, int rtpTagLength)
    {
        _rtpCipher = new AesCounterMode(rtp.EncryptionKey);
        _rtcpCipher = new AesCounterMode(rtcp.EncryptionKey);
#pragma warning disable CA5350 // HMAC-SHA1 is the SRTP default authentication transform.
        _rtpMac = IncrementalHash.CreateHMAC(HashAlgorithmName.SHA1, rtp.AuthenticationKey);
        _rtcpMac = IncrementalHash.CreateHMAC(HashAlgorithmName.SHA1, rtcp.AuthenticationKey);
#pragma warning restore CA5350
        _rtpSalt = rtp.Salt;
        _rtcpSalt = rtcp.Salt;
        RtpTagLength = rtpTagLength;
    }

    public int RtpTagLength { get; }

    public int RtcpTagLength => SrtcpTagLength;

    public void ProtectRtp(Span<byte> packet, int length, int headerLength, uint ssrc, ulong index)
    {
        Span<byte> iv = stackalloc byte[16];
        BuildIv(iv, _rtpSalt, ssrc, index);
        _rtpCipher.Transform(iv, packet[headerLength..length]);
        Span<byte> mac = stackalloc byte[20];
        RtpMac(packet[..length], (uint)(index >> 16), mac);
        mac[..RtpTagLength].CopyTo(packet[length..]);
    }

    public bool UnprotectRtp(Span<byte> packet, int headerLength, uint ssrc, ulong index)
    {
        int authenticated = packet.Length - RtpTagLength;
        Span<byte> mac = stackalloc byte[20];
        RtpMac(packet[..authenticated], (uint)(index >> 16), mac);
        if (!CryptographicOperations.FixedTimeEquals(mac[..RtpTagLength], packet.Slice(authenticated, RtpTagLength)))
        {
            return false;
        }

        Span<byte> iv = stackalloc byte[16];
        BuildIv(iv, _rtpSalt, ssrc, index);
        _rtpCipher.Transform(iv, packet[headerLength..authenticated]);
        return true;
    }

    public int ProtectRtcp(Span<byte> packet, int length, uint ssrc, uint index)
    {
        Span<byte> iv = stackalloc byte[16];
        BuildIv(iv, _rtcpSalt, ssrc, index);
        _rtcpCipher.Transform(iv, packet[8..length]);
        BinaryPrimitives.WriteUInt32BigEndian(packet[length..], 0x80000000u | index);
        Span<byte> mac = stackalloc byte[20];
        _rtcpMac.AppendData(packet[..(length + 4)]);
        _rtcpMac.GetHashAndReset(mac);
        mac[..SrtcpTagLength].CopyTo(packet[(length + 4)..]);
        return length + 4 + SrtcpTagLength;
    }

    public bool UnprotectRtcp(Span<byte> packet, int rtcpLength, uint ssrc, uint index, bool encrypted)
    {
        int authenticated = rtcpLength + 4;
        Span<byte> mac = stackalloc byte[20];
        _rtcpMac.AppendData(packet[..authenticated]);
        _rtcpMac.GetHashAndReset(mac);
        if (!CryptographicOperations.FixedTimeEquals(mac[..SrtcpTagLength], packet.Slice(authenticated, SrtcpTagLength)))
        {
            return false;
        }

        if (encrypted)
        {
            Span<byte> iv = stackalloc byte[16];
            BuildIv(iv, _rtcpSalt, ssrc, index);
            _rtcpCipher.Transform(iv, packet[8..rtcpLength]);
        }

        return true;
    }

    /// <summary>IV = (k_s * 2^16) XOR (SSRC * 2^64) XOR (i * 2^16) (RFC 3711 4.1.1).</summary>
    internal static void BuildIv(Span<byte> iv, ReadOnlySpan<byte> salt, uint ssrc, ulong index)
    {
        iv.Clear();
        salt.CopyTo(iv);
        iv[4] ^= (byte)(ssrc >> 24);
        iv[5] ^= (byte)(ssrc >> 16);
        iv[6] ^= (byte)(ssrc >> 8);
        iv[7] ^= (byte)ssrc;
        iv[8] ^= (byte)(index >> 40);
        iv[9] ^= (byte)(index >> 32);
        iv[10] ^= (byte)(index >> 24);
        iv[11] ^= (byte)(index >> 16);
        iv[12] ^= (byte)(index >> 8);
        iv[13] ^= (byte)index;
    }

    /// <summary>HMAC-SHA1 over the authenticated portion followed by the 32-bit ROC (RFC 3711 4.2).</summary>
    private void RtpMac(ReadOnlySpan<byte> authenticated, uint roc, Span<byte> mac)
    {
        Span<byte> rocBytes = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(rocBytes, roc);
        _rtpMac.AppendData(authenticated);
        _rtpMac.AppendData(rocBytes);
        _rtpMac.GetHashAndReset(mac);
    }

    public void Dispose()
    {
        _rtpCipher.Dispose();
        _rtcpCipher.Dispose();
        _rtpMac.Dispose();
        _rtcpMac.Dispose();
    }
}
