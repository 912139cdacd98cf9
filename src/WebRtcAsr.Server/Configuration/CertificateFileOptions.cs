namespace WebRtcAsr.Server.Configuration;

/// <summary>A certificate and its private key as PEM files (certs/make-dev-certs.sh makes both kinds the server uses).</summary>
public sealed class CertificateFileOptions
{
    /// <summary>The certificate, PEM ("BEGIN CERTIFICATE"); a relative path is relative to the working directory.</summary>
    public string? CertificatePath { get; set; }

    /// <summary>Its private key, PEM (PKCS#8, SEC1 or PKCS#1, unencrypted).</summary>
    public string? KeyPath { get; set; }

    /// <summary>Whether either path is set (both must then be).</summary>
    public bool IsConfigured => !string.IsNullOrWhiteSpace(CertificatePath) || !string.IsNullOrWhiteSpace(KeyPath);
}
