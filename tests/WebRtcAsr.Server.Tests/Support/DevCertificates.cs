using System.Diagnostics;
using System.Net.Http;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using WebRtcAsr.TestSupport;

namespace WebRtcAsr.Server.Tests.Support;

/// <summary>
/// Development certificates made by the project's own certs/make-dev-certs.sh (openssl) into a temporary folder,
/// and an HttpClient that trusts exactly the HTTPS one, as an operator's browser would after trusting it.
/// </summary>
internal sealed class DevCertificates : IDisposable
{
    private DevCertificates(string folder) => Folder = folder;

    public string Folder { get; }

    public string HttpsPem => Path.Combine(Folder, "https.pem");

    public string HttpsKey => Path.Combine(Folder, "https.key");

    public string DtlsPem => Path.Combine(Folder, "dtls.pem");

    public string DtlsKey => Path.Combine(Folder, "dtls.key");

    /// <summary>The TLS policy errors the last HTTPS handshake of a <see cref="TrustingClient"/> reported before the pin was checked.</summary>
    public SslPolicyErrors? LastPolicyErrors { get; private set; }

    public static DevCertificates Make()
    {
        var folder = Directory.CreateTempSubdirectory("webrtcasr-certs-").FullName;
        var start = new ProcessStartInfo("bash", [Path.Combine(RepoPaths.Root, "certs", "make-dev-certs.sh")])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.Environment["CERTS_OUT"] = folder;
        using var script = Process.Start(start)!;
        var output = script.StandardOutput.ReadToEnd() + script.StandardError.ReadToEnd();
        script.WaitForExit();
        Assert.True(script.ExitCode == 0, "certs/make-dev-certs.sh failed: " + output);
        return new DevCertificates(folder);
    }

    /// <summary>An HttpClient that accepts the server's certificate only when it is byte for byte this folder's https.pem.</summary>
    public HttpClient TrustingClient(Uri baseAddress)
    {
        byte[] expected;
        using (var pinned = X509Certificate2.CreateFromPem(File.ReadAllText(HttpsPem)))
        {
            expected = pinned.RawData;
        }

        var handler = new HttpClientHandler
        {
            ServerCertificateCustomValidationCallback = (_, certificate, _, errors) =>
            {
                LastPolicyErrors = errors;
                return certificate is not null && certificate.RawData.AsSpan().SequenceEqual(expected);
            },
        };
        return new HttpClient(handler) { BaseAddress = baseAddress };
    }

    public void Dispose() => Directory.Delete(Folder, recursive: true);
}
