using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.RegularExpressions;
using WebRtcAsr.Rtc.Certificates;
using WebRtcAsr.Rtc.Dtls;

namespace WebRtcAsr.Rtc.Tests.Dtls;

/// <summary>
/// Interop with a second independent DTLS 1.2 implementation, GnuTLS (gnutls-cli / gnutls-serv),
/// over UDP on 127.0.0.1. gnutls-serv insists on the cookie exchange, which exercises our client's
/// HelloVerifyRequest handling against a real server.
/// </summary>
public sealed partial class GnuTlsInteropTests() : DtlsPeerCertificates("dtls-gnutls-")
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(20);

    [GeneratedRegex("Key material: ([0-9A-Fa-f]+)")]
    private static partial Regex KeyMaterialLine();

    private static string? KeyMaterial(string output)
    {
        var m = KeyMaterialLine().Match(output);
        return m.Success ? m.Groups[1].Value.ToUpperInvariant() : null;
    }

    private static string ProfileName(DtlsSrtpProfile profile) =>
        profile == DtlsSrtpProfile.AeadAes128Gcm ? "SRTP_AEAD_AES_128_GCM" : "SRTP_AES128_CM_HMAC_SHA1_80";

    // GnuTLS 3.7 (Debian 12) knows no SRTP_AEAD_AES_128_GCM profile, so only the CM profile is tried;
    // the GCM profile is covered by the OpenSSL interop tests.
    [Fact]
    public void Gnutls_cli_connects_to_our_server_and_exports_the_same_srtp_keys()
    {
        var profile = DtlsSrtpProfile.Aes128CmHmacSha1_80;
        var (certPath, keyPath) = WriteTheirs();
        using var server = new DtlsServer(Ours, Theirs.FingerprintSha256);
        using var driver = new UdpDtlsDriver(server);
        int length = DtlsSrtpProfileLengths.KeyingMaterialLength(profile);
        using var gnutls = new ExternalPeerProcess("gnutls-cli", "--udp", "--port", driver.LocalPort.ToString(CultureInfo.InvariantCulture),
            "--insecure", "--x509certfile", certPath, "--x509keyfile", keyPath,
            "--srtp-profiles", ProfileName(profile),
            "--keymatexport", "EXTRACTOR-dtls_srtp", "--keymatexportsize", length.ToString(CultureInfo.InvariantCulture), "127.0.0.1");

        bool connected = driver.RunUntil(() => server.State != DtlsEndpointState.Handshaking && KeyMaterial(gnutls.Output) is not null, Deadline);
        Assert.True(connected, $"handshake did not finish; gnutls-cli said:\n{gnutls.Output}\nevents: {string.Join(", ", driver.Events)}");
        var keys = server.Connection!.SrtpKeys!;
        Assert.Equal(profile, keys.Profile);
        Assert.Equal(KeyMaterial(gnutls.Output), Convert.ToHexString(keys.Exported));

        gnutls.WriteLine("hello from gnutls");
        Assert.True(driver.RunUntil(() => driver.Events.Any(e => e.Kind == DtlsEventKind.ApplicationData), Deadline), gnutls.Output);
        Assert.Equal("hello from gnutls\n", Encoding.ASCII.GetString(driver.Events.First(e => e.Kind == DtlsEventKind.ApplicationData).Data!));
        Assert.True(server.Send(Encoding.ASCII.GetBytes("hello from WebRtcAsr\n")));
        Assert.True(driver.RunUntil(() => gnutls.Output.Contains("hello from WebRtcAsr", StringComparison.Ordinal), Deadline), gnutls.Output);
        gnutls.CloseInput();
        Assert.True(driver.RunUntil(() => server.State == DtlsEndpointState.Closed, Deadline), gnutls.Output);
    }

    [Fact]
    public void Our_client_refuses_a_gnutls_serv_that_negotiates_no_srtp_profile()
    {
        var (certPath, keyPath) = WriteTheirs();
        int port = FreeUdpPort();
        using var gnutls = StartServer(port, certPath, keyPath);
        using var client = new DtlsClient(Ours, Theirs.FingerprintSha256);
        using var driver = new UdpDtlsDriver(client, new IPEndPoint(IPAddress.Loopback, port));
        client.Start(driver.NowMicros);
        Assert.True(driver.RunUntil(() => client.State != DtlsEndpointState.Handshaking, Deadline), $"{gnutls.Output}\nevents: {string.Join(", ", driver.Events)}");
        var failed = Assert.Single(driver.Events);
        Assert.Equal(DtlsEventKind.Failed, failed.Kind);
        Assert.Contains("SRTP", failed.Reason, StringComparison.Ordinal);
    }

    private static ExternalPeerProcess StartServer(int port, string certPath, string keyPath, params string[] more)
    {
        var gnutls = new ExternalPeerProcess("gnutls-serv", ["--udp", "--port", port.ToString(CultureInfo.InvariantCulture), "--echo",
            "--x509certfile", certPath, "--x509keyfile", keyPath, "--require-client-cert", .. more]);
        var until = DateTime.UtcNow + Deadline;
        while (!gnutls.Output.Contains("listening", StringComparison.OrdinalIgnoreCase) && DateTime.UtcNow < until && !gnutls.HasExited)
        {
            Thread.Sleep(20);
        }
        Assert.Contains("listening", gnutls.Output, StringComparison.OrdinalIgnoreCase);
        return gnutls;
    }

    // gnutls-serv prints no exported keying material, so here agreement shows in the protected
    // echo round trip; the exporter itself is compared with gnutls-cli above.
    [Fact]
    public void Our_client_passes_gnutls_serv_cookie_exchange_and_exchanges_data()
    {
        var (certPath, keyPath) = WriteTheirs();
        int port = FreeUdpPort();
        using var gnutls = StartServer(port, certPath, keyPath, "--srtp-profiles", "SRTP_AES128_CM_HMAC_SHA1_80");

        using var client = new DtlsClient(Ours, Theirs.FingerprintSha256);
        using var driver = new UdpDtlsDriver(client, new IPEndPoint(IPAddress.Loopback, port));
        client.Start(driver.NowMicros);
        bool connected = driver.RunUntil(() => client.State != DtlsEndpointState.Handshaking, Deadline);
        Assert.True(connected, $"handshake did not finish; gnutls-serv said:\n{gnutls.Output}\nevents: {string.Join(", ", driver.Events)}");
        Assert.Equal(DtlsEndpointState.Connected, client.State);
        Assert.True(client.ReceivedHelloVerifyRequest);
        Assert.Equal(DtlsSrtpProfile.Aes128CmHmacSha1_80, client.Connection!.SrtpKeys!.Profile);

        Assert.True(client.Send(Encoding.ASCII.GetBytes("echo me\n")));
        Assert.True(driver.RunUntil(() => driver.Events.Any(e => e.Kind == DtlsEventKind.ApplicationData), Deadline), gnutls.Output);
        Assert.Equal("echo me\n", Encoding.ASCII.GetString(driver.Events.First(e => e.Kind == DtlsEventKind.ApplicationData).Data!));
        client.Close();
        driver.RunUntil(() => true, Deadline);
    }
}
