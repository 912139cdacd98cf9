using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.RegularExpressions;
using WebRtcAsr.Rtc.Certificates;
using WebRtcAsr.Rtc.Dtls;

namespace WebRtcAsr.Rtc.Tests.Dtls;

/// <summary>
/// Interop with an independent DTLS 1.2 implementation: OpenSSL's s_client and s_server over UDP
/// on 127.0.0.1. Both sides export "EXTRACTOR-dtls_srtp" and the bytes must agree.
/// </summary>
public sealed partial class OpenSslInteropTests() : DtlsPeerCertificates("dtls-interop-")
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(20);

    [GeneratedRegex("Keying material: ([0-9A-F]+)")]
    private static partial Regex KeyingMaterialLine();

    private static string? KeyingMaterial(string output)
    {
        var m = KeyingMaterialLine().Match(output);
        return m.Success ? m.Groups[1].Value : null;
    }

    [Theory]
    [InlineData("SRTP_AEAD_AES_128_GCM:SRTP_AES128_CM_SHA1_80", DtlsSrtpProfile.AeadAes128Gcm)]
    [InlineData("SRTP_AES128_CM_SHA1_80", DtlsSrtpProfile.Aes128CmHmacSha1_80)]
    public void Openssl_s_client_connects_to_our_server_and_exports_the_same_srtp_keys(string offered, DtlsSrtpProfile expected)
    {
        var (certPath, keyPath) = WriteTheirs();
        using var server = new DtlsServer(Ours, Theirs.FingerprintSha256);
        using var driver = new UdpDtlsDriver(server);
        int length = DtlsSrtpProfileLengths.KeyingMaterialLength(expected);
        using var openssl = new ExternalPeerProcess("openssl", "s_client", "-dtls1_2", "-connect", $"127.0.0.1:{driver.LocalPort}",
            "-use_srtp", offered, "-cert", certPath, "-key", keyPath,
            "-keymatexport", "EXTRACTOR-dtls_srtp", "-keymatexportlen", length.ToString(System.Globalization.CultureInfo.InvariantCulture));

        bool connected = driver.RunUntil(() => server.State != DtlsEndpointState.Handshaking && KeyingMaterial(openssl.Output) is not null, Deadline);
        Assert.True(connected, $"handshake did not finish; openssl said:\n{openssl.Output}\nevents: {string.Join(", ", driver.Events)}");
        Assert.Equal(DtlsEndpointState.Connected, server.State);
        var keys = server.Connection!.SrtpKeys!;
        Assert.Equal(expected, keys.Profile);
        Assert.Equal(KeyingMaterial(openssl.Output), Convert.ToHexString(keys.Exported));
        Assert.Equal(Theirs.FingerprintSha256, server.Connection.PeerFingerprint);
        Assert.Contains($"SRTP Extension negotiated, profile={ProfileName(expected)}", openssl.Output, StringComparison.Ordinal);
        Assert.Contains("ECDHE-ECDSA-AES128-GCM-SHA256", openssl.Output, StringComparison.Ordinal);
        Assert.Contains("Extended master secret: yes", openssl.Output, StringComparison.Ordinal);

        // Application data both ways, then openssl closes with close_notify when its stdin ends.
        openssl.WriteLine("hello from openssl");
        Assert.True(driver.RunUntil(() => driver.Events.Any(e => e.Kind == DtlsEventKind.ApplicationData), Deadline), openssl.Output);
        var data = driver.Events.First(e => e.Kind == DtlsEventKind.ApplicationData).Data!;
        Assert.Equal("hello from openssl\n", Encoding.ASCII.GetString(data));
        Assert.True(server.Send(Encoding.ASCII.GetBytes("hello from WebRtcAsr\n")));
        Assert.True(driver.RunUntil(() => openssl.Output.Contains("hello from WebRtcAsr", StringComparison.Ordinal), Deadline), openssl.Output);
        openssl.CloseInput();
        Assert.True(driver.RunUntil(() => server.State == DtlsEndpointState.Closed, Deadline), openssl.Output);
        Assert.Contains(driver.Events, e => e.Kind == DtlsEventKind.Closed);
    }

    [Fact]
    public void Openssl_s_client_with_an_unexpected_certificate_is_refused_with_an_alert()
    {
        var (certPath, keyPath) = WriteTheirs();
        using var server = new DtlsServer(Ours, Ours.FingerprintSha256); // expects some other certificate
        using var driver = new UdpDtlsDriver(server);
        using var openssl = new ExternalPeerProcess("openssl", "s_client", "-dtls1_2", "-connect", $"127.0.0.1:{driver.LocalPort}",
            "-use_srtp", "SRTP_AEAD_AES_128_GCM", "-cert", certPath, "-key", keyPath);

        Assert.True(driver.RunUntil(() => server.State == DtlsEndpointState.Failed, Deadline), openssl.Output);
        var failed = Assert.Single(driver.Events, e => e.Kind == DtlsEventKind.Failed);
        Assert.Equal(DtlsAlertDescription.BadCertificate, failed.Alert);
        Assert.True(openssl.WaitForExit(Deadline));
        Assert.Contains("bad certificate", openssl.Output, StringComparison.OrdinalIgnoreCase);
    }

    [Theory]
    [InlineData("SRTP_AEAD_AES_128_GCM:SRTP_AES128_CM_SHA1_80", DtlsSrtpProfile.AeadAes128Gcm)]
    [InlineData("SRTP_AES128_CM_SHA1_80", DtlsSrtpProfile.Aes128CmHmacSha1_80)]
    public void Our_client_connects_to_openssl_s_server_and_exports_the_same_srtp_keys(string serverProfiles, DtlsSrtpProfile expected)
    {
        var (certPath, keyPath) = WriteTheirs();
        int port = FreeUdpPort();
        int length = DtlsSrtpProfileLengths.KeyingMaterialLength(expected);
        using var openssl = new ExternalPeerProcess("openssl", "s_server", "-dtls1_2", "-accept", $"127.0.0.1:{port}",
            "-use_srtp", serverProfiles, "-cert", certPath, "-key", keyPath, "-Verify", "1",
            "-keymatexport", "EXTRACTOR-dtls_srtp", "-keymatexportlen", length.ToString(System.Globalization.CultureInfo.InvariantCulture));
        var until = DateTime.UtcNow + Deadline;
        while (!openssl.Output.Contains("ACCEPT", StringComparison.Ordinal) && DateTime.UtcNow < until && !openssl.HasExited)
        {
            Thread.Sleep(20);
        }
        Assert.Contains("ACCEPT", openssl.Output, StringComparison.Ordinal);

        using var client = new DtlsClient(Ours, Theirs.FingerprintSha256);
        using var driver = new UdpDtlsDriver(client, new IPEndPoint(IPAddress.Loopback, port));
        client.Start(driver.NowMicros);
        bool connected = driver.RunUntil(() => client.State != DtlsEndpointState.Handshaking && KeyingMaterial(openssl.Output) is not null, Deadline);
        Assert.True(connected, $"handshake did not finish; openssl said:\n{openssl.Output}\nevents: {string.Join(", ", driver.Events)}");
        Assert.Equal(DtlsEndpointState.Connected, client.State);
        Assert.True(client.ReceivedHelloVerifyRequest, "s_server answers with a cookie exchange by default");
        var keys = client.Connection!.SrtpKeys!;
        Assert.Equal(expected, keys.Profile);
        Assert.Equal(KeyingMaterial(openssl.Output), Convert.ToHexString(keys.Exported));

        Assert.True(client.Send(Encoding.ASCII.GetBytes("hello from WebRtcAsr\n")));
        Assert.True(driver.RunUntil(() => openssl.Output.Contains("hello from WebRtcAsr", StringComparison.Ordinal), Deadline), openssl.Output);
        openssl.WriteLine("hello from openssl");
        Assert.True(driver.RunUntil(() => driver.Events.Any(e => e.Kind == DtlsEventKind.ApplicationData), Deadline), openssl.Output);
        Assert.Equal("hello from openssl\n", Encoding.ASCII.GetString(driver.Events.First(e => e.Kind == DtlsEventKind.ApplicationData).Data!));
        client.Close();
        driver.RunUntil(() => true, Deadline);
    }

    [Fact]
    public void Our_certificate_fingerprint_equals_what_openssl_computes()
    {
        string cert = Path.Combine(Folder, "ours.pem");
        File.WriteAllText(cert, Ours.ExportCertificatePem());
        using var openssl = new ExternalPeerProcess("openssl", "x509", "-in", cert, "-noout", "-fingerprint", "-sha256");
        Assert.True(openssl.WaitForExit(Deadline));
        Assert.Contains(Ours.FingerprintSha256.HexValue, openssl.Output, StringComparison.Ordinal);
    }

    private static string ProfileName(DtlsSrtpProfile profile) =>
        profile == DtlsSrtpProfile.AeadAes128Gcm ? "SRTP_AEAD_AES_128_GCM" : "SRTP_AES128_CM_SHA1_80";
}
