using System.Security.Cryptography;

namespace WebRtcAsr.Rtc.Dtls;

/// <summary>
/// TLS 1.2 key schedule for TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256: master secret (RFC 7627 or
/// RFC 5246 8.1), record keys (RFC 5246 6.3 with RFC 5288 3 sizes), Finished verify_data
/// (RFC 5246 7.4.9) and the keying material exporter (RFC 5705).
/// </summary>
internal static class DtlsKeySchedule
{
    private const int KeyLength = 16;
    private const int ImplicitIvLength = 4;

    /// <summary>With <paramref name="sessionHash"/> (SHA-256 of the transcript through ClientKeyExchange)
    /// the extended master secret; without, the RFC 5246 one.</summary>
    public static byte[] MasterSecret(ReadOnlySpan<byte> premaster, byte[]? sessionHash, byte[] clientRandom, byte[] serverRandom) =>
        sessionHash is not null
            ? TlsPrf.Derive(premaster, "extended master secret", sessionHash, DtlsWire.MasterSecretLength)
            : TlsPrf.Derive(premaster, "master secret", [.. clientRandom, .. serverRandom], DtlsWire.MasterSecretLength);

    /// <summary>Record ciphers for this side: it writes with its own role's key and reads with the peer's.</summary>
    public static (DtlsGcmRecordCipher Write, DtlsGcmRecordCipher Read) RecordCiphers(byte[] masterSecret, byte[] clientRandom, byte[] serverRandom, bool isServer)
    {
        byte[] keyBlock = TlsPrf.Derive(masterSecret, "key expansion", [.. serverRandom, .. clientRandom], 2 * (KeyLength + ImplicitIvLength));
        var clientKey = keyBlock.AsSpan(0, KeyLength);
        var serverKey = keyBlock.AsSpan(KeyLength, KeyLength);
        var clientIv = keyBlock.AsSpan(2 * KeyLength, ImplicitIvLength);
        var serverIv = keyBlock.AsSpan(2 * KeyLength + ImplicitIvLength, ImplicitIvLength);
        var client = new DtlsGcmRecordCipher(clientKey, clientIv);
        var server = new DtlsGcmRecordCipher(serverKey, serverIv);
        CryptographicOperations.ZeroMemory(keyBlock);
        return isServer ? (server, client) : (client, server);
    }

    public static byte[] VerifyData(byte[] masterSecret, bool fromClient, byte[] transcriptHash) =>
        TlsPrf.Derive(masterSecret, fromClient ? "client finished" : "server finished", transcriptHash, DtlsWire.FinishedVerifyDataLength);

    public static byte[] Export(byte[] masterSecret, string label, byte[] clientRandom, byte[] serverRandom, int length) =>
        TlsPrf.Derive(masterSecret, label, [.. clientRandom, .. serverRandom], length);
}
