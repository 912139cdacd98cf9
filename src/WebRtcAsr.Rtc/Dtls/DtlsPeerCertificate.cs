using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace WebRtcAsr.Rtc.Dtls;

/// <summary>
/// The peer's leaf certificate, reduced to what DTLS-SRTP needs: its DER (for the fingerprint)
/// and signature verification with its public key (ECDSA P-256/SHA-256 or RSA PKCS#1/SHA-256).
/// </summary>
internal sealed class DtlsPeerCertificate : IDisposable
{
    private readonly ECDsa? _ecdsa;
    private readonly RSA? _rsa;

    private DtlsPeerCertificate(byte[] der, ECDsa? ecdsa, RSA? rsa)
    {
        Der = der;
        _ecdsa = ecdsa;
        _rsa = rsa;
    }

    public byte[] Der { get; }

    public static bool TryCreate(byte[] der, out DtlsPeerCertificate? certificate, out string? error)
    {
        certificate = null;
        try
        {
            using var cert = X509CertificateLoader.LoadCertificate(der);
            var ecdsa = cert.GetECDsaPublicKey();
            var rsa = ecdsa is null ? cert.GetRSAPublicKey() : null;
            if (ecdsa is null && rsa is null)
            {
                error = "peer certificate key is neither ECDSA nor RSA";
                return false;
            }
            certificate = new DtlsPeerCertificate(der, ecdsa, rsa);
            error = null;
            return true;
        }
        catch (CryptographicException e)
        {
            error = $"unreadable peer certificate: {e.Message}";
            return false;
        }
    }

    public bool Verify(ushort algorithm, ReadOnlySpan<byte> data, ReadOnlySpan<byte> signature)
    {
        try
        {
            return algorithm switch
            {
                DtlsWire.SignatureEcdsaSecp256r1Sha256 when _ecdsa is not null =>
                    _ecdsa.VerifyData(data, signature, HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence),
                DtlsWire.SignatureRsaPkcs1Sha256 when _rsa is not null =>
                    _rsa.VerifyData(data, signature, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1),
                _ => false,
            };
        }
        catch (CryptographicException)
        {
            return false;
        }
    }

    public void Dispose()
    {
        _ecdsa?.Dispose();
        _rsa?.Dispose();
    }
}
