using WebRtcAsr.Rtc.Certificates;

namespace WebRtcAsr.Rtc.Dtls;

/// <summary>What a finished handshake established, delivered with the Connected event.</summary>
public sealed class DtlsConnection(
    DtlsSrtpKeyingMaterial? srtpKeys,
    CertificateFingerprint peerFingerprint,
    byte[] peerCertificateDer,
    ushort cipherSuite,
    bool extendedMasterSecret)
{
    /// <summary>SRTP keys for the negotiated profile; null only when the peer offered no profile and the endpoint allows that.</summary>
    public DtlsSrtpKeyingMaterial? SrtpKeys { get; } = srtpKeys;

    /// <summary>SHA-256 fingerprint of the certificate the peer presented (it matched the expected one).</summary>
    public CertificateFingerprint PeerFingerprint { get; } = peerFingerprint;

    /// <summary>The peer's certificate in DER.</summary>
    public ReadOnlyMemory<byte> PeerCertificateDer { get; } = peerCertificateDer;

    /// <summary>The TLS cipher suite number (0xC02B).</summary>
    public ushort CipherSuite { get; } = cipherSuite;

    /// <summary>Whether the master secret is bound to the handshake transcript (RFC 7627).</summary>
    public bool ExtendedMasterSecret { get; } = extendedMasterSecret;
}
