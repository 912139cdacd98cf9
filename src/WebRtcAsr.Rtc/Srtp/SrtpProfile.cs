namespace WebRtcAsr.Rtc.Srtp;

/// <summary>SRTP protection profiles negotiated by DTLS-SRTP (IANA "DTLS-SRTP Protection Profiles" values).</summary>
public enum SrtpProfile : ushort
{
    /// <summary>SRTP_AES128_CM_HMAC_SHA1_80 (RFC 5764).</summary>
    AesCm128HmacSha1_80 = 0x0001,

    /// <summary>SRTP_AES128_CM_HMAC_SHA1_32 (RFC 5764): 32-bit RTP tag, 80-bit SRTCP tag.</summary>
    AesCm128HmacSha1_32 = 0x0002,

    /// <summary>SRTP_AEAD_AES_128_GCM (RFC 7714).</summary>
    AeadAes128Gcm = 0x0007,

    /// <summary>SRTP_AEAD_AES_256_GCM (RFC 7714).</summary>
    AeadAes256Gcm = 0x0008,
}

/// <summary>Key, salt and tag sizes of a profile.</summary>
public readonly record struct SrtpProfileParameters(int KeyLength, int SaltLength, int RtpTagLength, int RtcpTagLength, bool IsAead)
{
    public static SrtpProfileParameters Of(SrtpProfile profile) => profile switch
    {
        SrtpProfile.AesCm128HmacSha1_80 => new(16, 14, 10, 10, false),
        SrtpProfile.AesCm128HmacSha1_32 => new(16, 14, 4, 10, false),
        SrtpProfile.AeadAes128Gcm => new(16, 12, 16, 16, true),
        SrtpProfile.AeadAes256Gcm => new(32, 12, 16, 16, true),
        _ => throw new ArgumentOutOfRangeException(nameof(profile), profile, "unsupported SRTP profile"),
    };

    /// <summary>Bytes to export from DTLS (RFC 5764 4.2): two keys and two salts.</summary>
    public int ExportLength => 2 * (KeyLength + SaltLength);
}
