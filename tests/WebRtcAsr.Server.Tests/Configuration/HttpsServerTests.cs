using System.Net;
using System.Net.Security;
using System.Text.Json;
using WebRtcAsr.Server.Tests.Browser;
using WebRtcAsr.Server.Tests.Support;
using WebRtcAsr.TestSupport;

namespace WebRtcAsr.Server.Tests.Configuration;

/// <summary>The whole server (as Program.cs composes it) on https:// with the certificate certs/make-dev-certs.sh makes.</summary>
public sealed class HttpsServerTests
{
    [Fact]
    public async Task The_page_and_the_hub_negotiate_answer_over_HTTPS_with_the_development_certificate()
    {
        using var certs = DevCertificates.Make();
        var server = new BrowserCaptionServer();
        server.Overrides["WebRtcAsr:Urls:0"] = "https://127.0.0.1:0";
        server.Overrides["WebRtcAsr:Https:CertificatePath"] = certs.HttpsPem;
        server.Overrides["WebRtcAsr:Https:KeyPath"] = certs.HttpsKey;
        server.Overrides["WebRtcAsr:WebRoot"] = Path.Combine(RepoPaths.Root, "web");
        await server.InitializeAsync();
        try
        {
            Assert.Equal("https", server.BaseUri.Scheme);
            using var http = certs.TrustingClient(server.BaseUri);

            using var page = await http.GetAsync(new Uri("/", UriKind.Relative));
            Assert.Equal(HttpStatusCode.OK, page.StatusCode);
            Assert.Contains("<title>Live captions", await page.Content.ReadAsStringAsync(), StringComparison.Ordinal);
            // The certificate names 127.0.0.1: only its chain (self-signed) is unknown to the system, which the pin replaces.
            Assert.Equal(SslPolicyErrors.RemoteCertificateChainErrors, certs.LastPolicyErrors);

            using var negotiate = await http.PostAsync(new Uri("/hubs/signaling/negotiate?negotiateVersion=1", UriKind.Relative), null);
            var body = await negotiate.Content.ReadAsStringAsync();
            Assert.True(negotiate.IsSuccessStatusCode, body);
            using var json = JsonDocument.Parse(body);
            Assert.False(string.IsNullOrEmpty(json.RootElement.GetProperty("connectionToken").GetString()));
            Assert.Contains(json.RootElement.GetProperty("availableTransports").EnumerateArray(), t => t.GetProperty("transport").GetString() == "WebSockets");

            // Without the pin, the system's trust refuses the self-signed certificate: the server really speaks TLS with it.
            using var untrusting = new HttpClient { BaseAddress = server.BaseUri };
            await Assert.ThrowsAsync<HttpRequestException>(() => untrusting.GetAsync(new Uri("/healthz", UriKind.Relative)));
        }
        finally
        {
            await server.DisposeAsync();
        }
    }
}
