using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Options;
using WebRtcAsr.Rtc.Certificates;
using WebRtcAsr.Rtc.PeerConnection;
using WebRtcAsr.Server.Configuration;
using WebRtcAsr.Server.Tests.Signaling;
using WebRtcAsr.Server.Tests.Support;

namespace WebRtcAsr.Server.Tests.Configuration;

/// <summary>The Https and Dtls certificate settings, with the certificates certs/make-dev-certs.sh makes.</summary>
public sealed class CertificateOptionsTests : IDisposable
{
    private readonly DevCertificates certs = DevCertificates.Make();

    public void Dispose() => certs.Dispose();

    [Fact]
    public void The_development_certificates_are_valid_settings()
    {
        var options = ValidOptions();
        options.Https = new CertificateFileOptions { CertificatePath = certs.HttpsPem, KeyPath = certs.HttpsKey };
        options.Dtls = new CertificateFileOptions { CertificatePath = certs.DtlsPem, KeyPath = certs.DtlsKey };
        var result = new ServerOptionsValidator().Validate(null, options);
        Assert.True(result.Succeeded, result.FailureMessage);
    }

    [Fact]
    public void A_missing_an_unreadable_or_a_half_set_certificate_is_named_with_its_key_and_file()
    {
        var missing = Path.Combine(certs.Folder, "missing.pem");
        var garbage = Path.Combine(certs.Folder, "garbage.pem");
        File.WriteAllText(garbage, "not a certificate");
        var options = ValidOptions();
        options.Https = new CertificateFileOptions { CertificatePath = missing, KeyPath = certs.HttpsKey };
        options.Dtls = new CertificateFileOptions { CertificatePath = certs.DtlsPem };
        var message = new ServerOptionsValidator().Validate(null, options).FailureMessage;
        Assert.Contains($"WebRtcAsr:Https:CertificatePath: file '{missing}' does not exist", message, StringComparison.Ordinal);
        Assert.Contains("WebRtcAsr:Dtls: set both CertificatePath and KeyPath", message, StringComparison.Ordinal);

        options.Https = new CertificateFileOptions { CertificatePath = garbage, KeyPath = certs.HttpsKey };
        options.Dtls = new CertificateFileOptions { CertificatePath = certs.HttpsPem, KeyPath = certs.DtlsKey }; // a key that is not the certificate's
        message = new ServerOptionsValidator().Validate(null, options).FailureMessage;
        Assert.Contains($"WebRtcAsr:Https: '{garbage}' and '{certs.HttpsKey}' are not a PEM certificate and its private key", message, StringComparison.Ordinal);
        Assert.Contains($"WebRtcAsr:Dtls: '{certs.HttpsPem}' and '{certs.DtlsKey}': cannot load certificate", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_missing_HTTPS_certificate_stops_the_start()
    {
        var settings = TestHost.Settings(certs.Folder);
        settings["WebRtcAsr:Https:CertificatePath"] = Path.Combine(certs.Folder, "none.pem");
        settings["WebRtcAsr:Https:KeyPath"] = certs.HttpsKey;
        await using var app = TestHost.Build(settings);
        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => app.StartAsync());
        Assert.Contains("WebRtcAsr:Https:CertificatePath: file", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_configured_DTLS_identity_is_the_fingerprint_answers_announce()
    {
        await using var server = await SignalingTestServer.StartAsync(new PeerEventLog(), new Dictionary<string, string?>
        {
            ["WebRtcAsr:Dtls:CertificatePath"] = certs.DtlsPem,
            ["WebRtcAsr:Dtls:KeyPath"] = certs.DtlsKey,
        });
        using var certificate = DtlsCertificate.Generate(DateTimeOffset.UtcNow);
        using var client = PeerConnection.CreateOffer(new PeerConnectionOptions { Certificate = certificate }, 0);
        Assert.True(server.Host.TryAccept(client.LocalDescription, "connection-1", out var answer, out var error), error);

        using var dtls = X509Certificate2.CreateFromPem(File.ReadAllText(certs.DtlsPem));
        var expected = string.Join(':', dtls.GetCertHash(HashAlgorithmName.SHA256).Select(b => b.ToString("X2", System.Globalization.CultureInfo.InvariantCulture)));
        Assert.Contains($"a=fingerprint:sha-256 {expected}", answer!.Sdp, StringComparison.OrdinalIgnoreCase);
    }

    private static ServerOptions ValidOptions() => new() { Auth = new AuthOptions { AllowUnauthenticatedLocalhost = true } };
}
