namespace WebRtcAsr.Rtc.Dtls;

/// <summary>SRTP protection profiles negotiated by the use_srtp extension (RFC 5764 4.1.2, RFC 7714 14.2).</summary>
public enum DtlsSrtpProfile : ushort
{
    /// <summary>SRTP_AES128_CM_HMAC_SHA1_80: 128-bit key, 112-bit salt.</summary>
    Aes128CmHmacSha1_80 = 0x0001,

    /// <summary>SRTP_AEAD_AES_128_GCM: 128-bit key, 96-bit salt.</summary>
    AeadAes128Gcm = 0x0007,
}

/// <summary>Key and salt lengths of each profile, which size the exported keying material.</summary>
public static class DtlsSrtpProfileLengths
{
    public static int KeyLength(DtlsSrtpProfile profile) => 16;

    public static int SaltLength(DtlsSrtpProfile profile) => profile == DtlsSrtpProfile.AeadAes128Gcm ? 12 : 14;

    /// <summary>Bytes to export with "EXTRACTOR-dtls_srtp": 2 × (key + salt).</summary>
    public static int KeyingMaterialLength(DtlsSrtpProfile profile) => 2 * (KeyLength(profile) + SaltLength(profile));

    internal static bool IsKnown(ushort value) =>
        value is (ushort)DtlsSrtpProfile.Aes128CmHmacSha1_80 or (ushort)DtlsSrtpProfile.AeadAes128Gcm;
}
