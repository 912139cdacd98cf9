using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using WebRtcAsr.Rtc.Certificates;

namespace WebRtcAsr.Server.Configuration;

/// <summary>
/// Loads the certificates named by <see cref="CertificateFileOptions"/>, with a reason an operator can act on
/// (which file, and what is wrong with it) instead of an exception.
/// </summary>
public static class PemCertificateFiles
{
    /// <summary>Reads both PEM files; <paramref name="key"/> (e.g. "WebRtcAsr:Https") prefixes the error.</summary>
    public static bool TryRead(CertificateFileOptions files, string key, out string certificatePem, out string keyPem, out string? error)
    {
        ArgumentNullException.ThrowIfNull(files);
        certificatePem = keyPem = "";
        if (string.IsNullOrWhiteSpace(files.CertificatePath) || string.IsNullOrWhiteSpace(files.KeyPath))
        {
            error = $"{key}: set both CertificatePath and KeyPath (PEM files; certs/make-dev-certs.sh makes development ones)";
            return false;
        }

        return TryReadText(files.CertificatePath, $"{key}:CertificatePath", out certificatePem, out error)
            && TryReadText(files.KeyPath, $"{key}:KeyPath", out keyPem, out error);
    }

    /// <summary>The HTTPS certificate with its private key, valid now.</summary>
    public static bool TryLoadHttps(CertificateFileOptions files, string key, DateTimeOffset now, out X509Certificate2? certificate, out string? error)
    {
        certificate = null;
        if (!TryRead(files, key, out var certificatePem, out var keyPem, out error))
        {
            return false;
        }

        X509Certificate2 loaded;
        try
        {
            loaded = X509Certificate2.CreateFromPem(certificatePem, keyPem);
        }
        catch (CryptographicException ex)
        {
            error = $"{key}: '{files.CertificatePath}' and '{files.KeyPath}' are not a PEM certificate and its private key: {ex.Message}";
            return false;
        }
        catch (ArgumentException ex)
        {
            error = $"{key}: '{files.CertificatePath}' and '{files.KeyPath}' are not a PEM certificate and its private key: {ex.Message}";
            return false;
        }

        if (now.UtcDateTime > loaded.NotAfter.ToUniversalTime() || now.UtcDateTime < loaded.NotBefore.ToUniversalTime())
        {
            error = $"{key}: '{files.CertificatePath}' is valid only from {loaded.NotBefore.ToUniversalTime():u} to {loaded.NotAfter.ToUniversalTime():u} (make a new one)";
            loaded.Dispose();
            return false;
        }

        certificate = loaded;
        return true;
    }

    /// <summary>The DTLS identity (ECDSA P-256).</summary>
    public static bool TryLoadDtls(CertificateFileOptions files, string key, out DtlsCertificate? certificate, out string? error)
    {
        certificate = null;
        if (!TryRead(files, key, out var certificatePem, out var keyPem, out error))
        {
            return false;
        }

        if (!DtlsCertificate.TryLoad(certificatePem, keyPem, out certificate, out var reason))
        {
            error = $"{key}: '{files.CertificatePath}' and '{files.KeyPath}': {reason}";
            return false;
        }

        return true;
    }

    private static bool TryReadText(string path, string key, out string text, out string? error)
    {
        text = "";
        try
        {
            text = File.ReadAllText(path);
            error = null;
            return true;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or NotSupportedException or ArgumentException)
        {
            error = ex is FileNotFoundException or DirectoryNotFoundException
                ? $"{key}: file '{path}' does not exist"
                : $"{key}: file '{path}' cannot be read: {ex.Message}";
            return false;
        }
    }
}
