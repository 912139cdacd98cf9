using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace WebRtcAsr.Rtc.Certificates;

/// <summary>
/// This endpoint's DTLS identity: an ECDSA P-256 certificate and its private key. WebRTC peers do
/// not validate chains; they compare the certificate's hash with the a=fingerprint in SDP, so a
/// self-signed certificate (CN=WebRtcAsr, random serial, short validity like browsers use) is normal.
/// </summary>
public sealed class DtlsCertificate : IDisposable
{
    /// <summary>Validity of generated certificates. Chromium generates 30-day certificates for WebRTC too.</summary>
    public static readonly TimeSpan DefaultValidity = TimeSpan.FromDays(30);

    private readonly ECDsa _privateKey;
    private readonly byte[] _der;

    private DtlsCertificate(byte[] der, ECDsa privateKey)
    {
        _der = der;
        _privateKey = privateKey;
        FingerprintSha256 = CertificateFingerprint.Compute(der, "sha-256");
    }

    /// <summary>The certificate in DER, as sent in the DTLS Certificate message.</summary>
    public ReadOnlySpan<byte> Der => _der;

    /// <summary>SHA-256 fingerprint for the a=fingerprint line.</summary>
    public CertificateFingerprint FingerprintSha256 { get; }

    /// <summary>Makes a fresh self-signed ECDSA P-256 certificate valid from a day before <paramref name="now"/>.</summary>
    public static DtlsCertificate Generate(DateTimeOffset now, TimeSpan? validity = null, string commonName = "WebRtcAsr")
    {
        var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={commonName}", key, HashAlgorithmName.SHA256);
        byte[] serial = RandomNumberGenerator.GetBytes(16);
        serial[0] &= 0x7F; // a positive INTEGER
        var generator = X509SignatureGenerator.CreateForECDsa(key);
        using var cert = request.Create(request.SubjectName, generator, now.AddDays(-1), now.Add(validity ?? DefaultValidity), serial);
        return new DtlsCertificate(cert.RawData, key);
    }

    /// <summary>
    /// Loads a PEM certificate and its PEM private key (PKCS#8 or SEC1 "EC PRIVATE KEY").
    /// Returns false with a reason when they are unreadable, not P-256, or do not belong together.
    /// </summary>
    public static bool TryLoad(string certificatePem, string privateKeyPem, out DtlsCertificate? certificate, out string? error)
    {
        certificate = null;
        try
        {
            using var cert = X509Certificate2.CreateFromPem(certificatePem, privateKeyPem);
            var key = cert.GetECDsaPrivateKey();
            if (key is null)
            {
                error = "certificate key is not ECDSA";
                return false;
            }
            if (key.KeySize != 256)
            {
                key.Dispose();
                error = $"certificate key is ECDSA-{key.KeySize}, P-256 is required";
                return false;
            }
            certificate = new DtlsCertificate(cert.RawData, key);
            error = null;
            return true;
        }
        catch (CryptographicException e)
        {
            error = $"cannot load certificate: {e.Message}";
            return false;
        }
        catch (ArgumentException e)
        {
            error = $"cannot load certificate: {e.Message}";
            return false;
        }
    }

    /// <summary>The certificate as PEM.</summary>
    public string ExportCertificatePem() => PemEncoding.WriteString("CERTIFICATE", _der);

    /// <summary>The private key as PKCS#8 PEM.</summary>
    public string ExportPrivateKeyPem() => _privateKey.ExportPkcs8PrivateKeyPem();

    /// <summary>ECDSA-SHA256 signature in the DER form TLS uses.</summary>
    internal byte[] SignSha256(ReadOnlySpan<byte> data) =>
        _privateKey.SignData(data, HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence);

    public void Dispose() => _privateKey.Dispose();
}
