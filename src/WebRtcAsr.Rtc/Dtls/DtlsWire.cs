namespace WebRtcAsr.Rtc.Dtls;

/// <summary>DTLS record content types (RFC 5246 6.2.1).</summary>
internal enum DtlsContentType : byte
{
    ChangeCipherSpec = 20,
    Alert = 21,
    Handshake = 22,
    ApplicationData = 23,
}

/// <summary>Handshake message types used by DTLS 1.2 (RFC 5246 7.4, RFC 6347 4.3.2).</summary>
internal enum DtlsHandshakeType : byte
{
    ClientHello = 1,
    ServerHello = 2,
    HelloVerifyRequest = 3,
    Certificate = 11,
    ServerKeyExchange = 12,
    CertificateRequest = 13,
    ServerHelloDone = 14,
    CertificateVerify = 15,
    ClientKeyExchange = 16,
    Finished = 20,
}

/// <summary>Wire numbers this implementation speaks: versions, the cipher suite, extensions, groups.</summary>
internal static class DtlsWire
{
    /// <summary>DTLS 1.2 on the wire (one's complement of 1.2: 254.253).</summary>
    public const ushort Version12 = 0xFEFD;

    /// <summary>DTLS 1.0; used in record headers of a first ClientHello and in HelloVerifyRequest.</summary>
    public const ushort Version10 = 0xFEFF;

    public const int RecordHeaderLength = 13;
    public const int HandshakeHeaderLength = 12;
    public const int RandomLength = 32;

    /// <summary>Largest plaintext a record may carry (RFC 5246 6.2.1).</summary>
    public const int MaxPlaintextLength = 1 << 14;

    /// <summary>TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256, offered by Chromium, Firefox and OpenSSL.</summary>
    public const ushort CipherEcdheEcdsaAes128GcmSha256 = 0xC02B;

    /// <summary>TLS_EMPTY_RENEGOTIATION_INFO_SCSV (RFC 5746), a client's way to say "secure renegotiation".</summary>
    public const ushort CipherEmptyRenegotiationInfoScsv = 0x00FF;

    public const ushort ExtSupportedGroups = 10;
    public const ushort ExtEcPointFormats = 11;
    public const ushort ExtSignatureAlgorithms = 13;
    public const ushort ExtUseSrtp = 14;
    public const ushort ExtExtendedMasterSecret = 23;
    public const ushort ExtRenegotiationInfo = 0xFF01;

    public const ushort GroupSecp256r1 = 23;
    public const byte PointFormatUncompressed = 0;
    public const byte CurveTypeNamedCurve = 3;

    public const ushort SignatureEcdsaSecp256r1Sha256 = 0x0403;
    public const ushort SignatureRsaPkcs1Sha256 = 0x0401;

    public const byte ClientCertificateTypeRsaSign = 1;
    public const byte ClientCertificateTypeEcdsaSign = 64;

    /// <summary>AES-128-GCM record: 8-byte explicit nonce in front, 16-byte tag behind.</summary>
    public const int GcmExplicitNonceLength = 8;
    public const int GcmTagLength = 16;
    public const int GcmRecordOverhead = GcmExplicitNonceLength + GcmTagLength;

    public const int FinishedVerifyDataLength = 12;
    public const int MasterSecretLength = 48;
}
