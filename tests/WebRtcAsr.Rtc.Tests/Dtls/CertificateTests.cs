using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.RegularExpressions;
using WebRtcAsr.Rtc.Certificates;

namespace WebRtcAsr.Rtc.Tests.Dtls;

public class CertificateTests
{
    private static readonly DateTimeOffset Now = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Generated_certificate_is_ecdsa_p256_self_signed_for_30_days_with_a_random_serial()
    {
        using var a = DtlsCertificate.Generate(Now);
        using var b = DtlsCertificate.Generate(Now);
        using var x509 = X509CertificateLoader.LoadCertificate(a.Der.ToArray());
        Assert.Equal("CN=WebRtcAsr", x509.Subject);
        Assert.Equal(x509.Subject, x509.Issuer);
        using var key = x509.GetECDsaPublicKey();
        Assert.NotNull(key);
        Assert.Equal(256, key!.KeySize);
        Assert.Equal(Now.AddDays(-1).UtcDateTime, x509.NotBefore.ToUniversalTime());
        Assert.Equal(Now.AddDays(30).UtcDateTime, x509.NotAfter.ToUniversalTime());
        Assert.Equal("1.2.840.10045.4.3.2", x509.SignatureAlgorithm.Value); // ecdsa-with-SHA256
        Assert.NotEqual(x509.SerialNumber, X509CertificateLoader.LoadCertificate(b.Der.ToArray()).SerialNumber);
        Assert.NotEqual(a.FingerprintSha256, b.FingerprintSha256);
    }

    [Fact]
    public void Fingerprint_is_uppercase_colon_hex_of_the_der_sha256()
    {
        using var cert = DtlsCertificate.Generate(Now);
        string value = cert.FingerprintSha256.ToString();
        Assert.Matches(new Regex("^sha-256 ([0-9A-F]{2}:){31}[0-9A-F]{2}$"), value);
        Assert.Equal(SHA256.HashData(cert.Der), cert.FingerprintSha256.Value.ToArray());
        Assert.True(cert.FingerprintSha256.Matches(cert.Der));
    }

    [Fact]
    public void Pem_export_loads_back_to_the_same_identity()
    {
        using var cert = DtlsCertificate.Generate(Now);
        Assert.True(DtlsCertificate.TryLoad(cert.ExportCertificatePem(), cert.ExportPrivateKeyPem(), out var loaded, out var error), error);
        using (loaded)
        {
            Assert.Equal(cert.FingerprintSha256, loaded!.FingerprintSha256);
            Assert.Equal(cert.Der.ToArray(), loaded.Der.ToArray());
        }
    }

    [Fact]
    public void Loading_refuses_mismatched_keys_rsa_keys_and_garbage()
    {
        using var a = DtlsCertificate.Generate(Now);
        using var b = DtlsCertificate.Generate(Now);
        Assert.False(DtlsCertificate.TryLoad(a.ExportCertificatePem(), b.ExportPrivateKeyPem(), out _, out var error));
        Assert.NotNull(error);
        Assert.False(DtlsCertificate.TryLoad("not pem", "not pem", out _, out error));
        Assert.NotNull(error);

        using var rsa = RSA.Create(2048);
        var request = new CertificateRequest("CN=rsa", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        using var rsaCert = request.CreateSelfSigned(Now, Now.AddDays(1));
        Assert.False(DtlsCertificate.TryLoad(rsaCert.ExportCertificatePem(), rsa.ExportPkcs8PrivateKeyPem(), out _, out error));
        Assert.Contains("not ECDSA", error, StringComparison.Ordinal);

        using var p384 = ECDsa.Create(ECCurve.NamedCurves.nistP384);
        using var p384Cert = new CertificateRequest("CN=p384", p384, HashAlgorithmName.SHA384).CreateSelfSigned(Now, Now.AddDays(1));
        Assert.False(DtlsCertificate.TryLoad(p384Cert.ExportCertificatePem(), p384.ExportPkcs8PrivateKeyPem(), out _, out error));
        Assert.Contains("P-256", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Sdp_fingerprint_values_parse_and_bad_ones_give_a_reason()
    {
        using var cert = DtlsCertificate.Generate(Now);
        string sdp = cert.FingerprintSha256.ToString();
        Assert.True(CertificateFingerprint.TryParse(sdp, out var parsed, out _));
        Assert.Equal(cert.FingerprintSha256, parsed);
        Assert.True(CertificateFingerprint.TryParse(sdp.ToLowerInvariant().Replace("sha-256", "SHA-256", StringComparison.Ordinal), out var lower, out _));
        Assert.Equal(cert.FingerprintSha256, lower);

        string[] bad = ["", "sha-256", "md5 AB:CD", "sha-256 AB:CD", "sha-256 " + string.Join(':', Enumerable.Repeat("ZZ", 32)), "sha-1 " + string.Join(':', Enumerable.Repeat("ABC", 20))];
        foreach (var value in bad)
        {
            Assert.False(CertificateFingerprint.TryParse(value, out _, out var error));
            Assert.False(string.IsNullOrEmpty(error));
        }
    }
}
