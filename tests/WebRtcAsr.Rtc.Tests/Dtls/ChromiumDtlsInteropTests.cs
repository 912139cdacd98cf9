using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using WebRtcAsr.Rtc.Certificates;
using WebRtcAsr.Rtc.Dtls;

namespace WebRtcAsr.Rtc.Tests.Dtls;

/// <summary>
/// Our DTLS endpoints against Chromium's (BoringSSL), the peer the product serves.
/// Headless Chromium loads a page that offers an audio transceiver and a data channel; the test
/// answers as ICE-lite with a=setup:passive (Chromium is the DTLS client, our DtlsServer the
/// server: the product's case) or a=setup:active (our DtlsClient against Chromium's server: the
/// load generator's case), answers its STUN checks, and runs the handshake. Chromium's own verdict (connectionState "connected") and its
/// first SCTP packet arriving as application data show the handshake worked from both sides.
/// Chromium 156 also offers DTLS 1.3, with a ClientHello (hybrid ML-KEM key share) larger than one
/// datagram: this exercises fragment reassembly and the fall back to DTLS 1.2.
/// This is the slowest test here (a browser start, a few seconds); it is the only browser DTLS
/// check until the Interop suite drives full sessions.
/// </summary>
public sealed class ChromiumDtlsInteropTests : IDisposable
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);
    private readonly string _profileDir = Directory.CreateTempSubdirectory("dtls-chromium-").FullName;
    private readonly DtlsCertificate _ours = DtlsCertificate.Generate(DateTimeOffset.UtcNow);
    private readonly ConcurrentQueue<string> _reports = new();
    private readonly TaskCompletionSource<string> _offer = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource<string> _answer = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private const string Page = """
        <!doctype html><title>dtls</title><script>
        const report = (what) => fetch('/report', { method: 'POST', body: what });
        (async () => {
          try {
            const pc = new RTCPeerConnection();
            pc.addTransceiver('audio', { direction: 'recvonly' });
            pc.createDataChannel('captions');
            pc.onconnectionstatechange = () => report('connection:' + pc.connectionState);
            await pc.setLocalDescription(await pc.createOffer());
            const answer = await fetch('/offer', { method: 'POST', body: pc.localDescription.sdp });
            await pc.setRemoteDescription({ type: 'answer', sdp: await answer.text() });
            report('answer-set');
          } catch (e) { report('error:' + e); }
        })();
        </script>
        """;

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Chromium_completes_a_dtls_srtp_handshake_with_our_endpoint(bool weAreServer)
    {
        using var http = new HttpListener();
        int httpPort = FreeTcpPort();
        http.Prefixes.Add($"http://127.0.0.1:{httpPort}/");
        http.Start();
        var serving = Task.Run(() => Serve(http));

        using var chromium = new ExternalPeerProcess("chromium", "--headless=new", "--no-sandbox", "--disable-gpu",
            "--disable-dev-shm-usage", "--no-first-run", "--allow-loopback-in-peer-connection",
            $"--user-data-dir={_profileDir}", $"http://127.0.0.1:{httpPort}/");

        var offerArrived = await Task.WhenAny(_offer.Task, Task.Delay(Deadline));
        Assert.True(offerArrived == _offer.Task, $"no offer from Chromium: {chromium.Output} {string.Join(", ", _reports)}");
        string offer = await _offer.Task;
        string fingerprintLine = offer.Split('\n').Select(l => l.Trim()).First(l => l.StartsWith("a=fingerprint:", StringComparison.Ordinal));
        Assert.True(CertificateFingerprint.TryParse(fingerprintLine["a=fingerprint:".Length..], out var chromiumFingerprint, out var error), error);

        using DtlsEndpoint ours = weAreServer ? new DtlsServer(_ours, chromiumFingerprint!) : new DtlsClient(_ours, chromiumFingerprint!);
        using var driver = new UdpDtlsDriver(ours);
        string ufrag = "wra" + Convert.ToHexString(RandomNumberGenerator.GetBytes(4)).ToLowerInvariant();
        string password = Convert.ToHexString(RandomNumberGenerator.GetBytes(16)).ToLowerInvariant();
        driver.OtherDatagrams = (datagram, from) => StunBindingResponder.Answer(datagram, from, password);
        _answer.SetResult(Answer(offer, driver.LocalPort, ufrag, password, weAreServer ? "passive" : "active"));

        bool started = weAreServer;
        bool done = driver.RunUntil(() =>
        {
            if (!started && driver.HasRemote)
            {
                // The DTLS client speaks first, once ICE has found the browser.
                ((DtlsClient)ours).Start(driver.NowMicros);
                started = true;
            }
            return ours.State == DtlsEndpointState.Failed
            || (ours.State == DtlsEndpointState.Connected
                && _reports.Contains("connection:connected")
                && driver.Events.Any(e => e.Kind == DtlsEventKind.ApplicationData));
        }, Deadline);
        Assert.True(done, $"events: {string.Join(", ", driver.Events)}; page: {string.Join(", ", _reports)}; chromium: {chromium.Output}");
        Assert.Equal(DtlsEndpointState.Connected, ours.State);
        var connection = ours.Connection!;
        Assert.Equal(chromiumFingerprint, CertificateFingerprint.Compute(connection.PeerCertificateDer.Span, chromiumFingerprint!.Algorithm));
        Assert.NotNull(connection.SrtpKeys);
        Assert.True(connection.ExtendedMasterSecret);

        // Chromium's first application data is its SCTP INIT (RFC 4960: ports 5000/5000, chunk type 1).
        byte[] sctp = driver.Events.First(e => e.Kind == DtlsEventKind.ApplicationData).Data!;
        Assert.Equal(5000, (sctp[0] << 8) | sctp[1]);
        Assert.Equal(5000, (sctp[2] << 8) | sctp[3]);
        Assert.Equal(1, sctp[12]);

        // Chromium offers CM_HMAC_SHA1_80, AEAD_AES_256_GCM, AEAD_AES_128_GCM in that order. Our
        // server prefers AES-128-GCM; Chromium as a server keeps its own order and picks CM.
        Assert.Equal(weAreServer ? DtlsSrtpProfile.AeadAes128Gcm : DtlsSrtpProfile.Aes128CmHmacSha1_80, connection.SrtpKeys!.Profile);
        http.Stop();
        await serving.ContinueWith(_ => { }, TaskScheduler.Default);
    }

    private string Answer(string offer, int port, string ufrag, string password, string setup)
    {
        var mids = new List<(string Kind, string Mid)>();
        string? kind = null;
        foreach (var raw in offer.Split('\n'))
        {
            string line = raw.Trim();
            if (line.StartsWith("m=", StringComparison.Ordinal))
            {
                kind = line[2..line.IndexOf(' ', StringComparison.Ordinal)];
            }
            else if (line.StartsWith("a=mid:", StringComparison.Ordinal) && kind is not null)
            {
                mids.Add((kind, line["a=mid:".Length..]));
            }
        }
        var sdp = new StringBuilder();
        void Line(string l) => sdp.Append(l).Append("\r\n");
        Line("v=0");
        Line("o=- 1 1 IN IP4 127.0.0.1");
        Line("s=-");
        Line("t=0 0");
        Line($"a=group:BUNDLE {string.Join(' ', mids.Select(m => m.Mid))}");
        Line("a=ice-lite");
        foreach (var (mediaKind, mid) in mids)
        {
            Line(mediaKind == "application"
                ? $"m=application {port} UDP/DTLS/SCTP webrtc-datachannel"
                : $"m={mediaKind} {port} UDP/TLS/RTP/SAVPF 111");
            Line("c=IN IP4 127.0.0.1");
            Line($"a=ice-ufrag:{ufrag}");
            Line($"a=ice-pwd:{password}");
            Line($"a=fingerprint:{_ours.FingerprintSha256}");
            Line($"a=setup:{setup}");
            Line($"a=mid:{mid}");
            if (mediaKind == "application")
            {
                Line("a=sctp-port:5000");
                Line("a=max-message-size:262144");
            }
            else
            {
                Line("a=inactive");
                Line("a=rtcp-mux");
                Line("a=rtpmap:111 opus/48000/2");
            }
            Line(string.Create(CultureInfo.InvariantCulture, $"a=candidate:1 1 udp 2130706431 127.0.0.1 {port} typ host"));
            Line("a=end-of-candidates");
        }
        return sdp.ToString();
    }

    private async Task Serve(HttpListener http)
    {
        while (http.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await http.GetContextAsync();
            }
            catch (HttpListenerException)
            {
                return;
            }
            catch (ObjectDisposedException)
            {
                return;
            }
            string body;
            using (var reader = new StreamReader(context.Request.InputStream, Encoding.UTF8))
            {
                body = await reader.ReadToEndAsync();
            }
            string reply = "";
            switch (context.Request.Url!.AbsolutePath)
            {
                case "/":
                    reply = Page;
                    context.Response.ContentType = "text/html";
                    break;
                case "/offer":
                    _offer.TrySetResult(body);
                    reply = await _answer.Task;
                    break;
                case "/report":
                    _reports.Enqueue(body);
                    break;
                default:
                    context.Response.StatusCode = 404;
                    break;
            }
            byte[] bytes = Encoding.UTF8.GetBytes(reply);
            await context.Response.OutputStream.WriteAsync(bytes);
            context.Response.Close();
        }
    }

    private static int FreeTcpPort()
    {
        using var probe = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        probe.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)probe.LocalEndPoint!).Port;
    }

    public void Dispose()
    {
        _ours.Dispose();
        try
        {
            Directory.Delete(_profileDir, recursive: true);
        }
        catch (IOException)
        {
            // Chromium may still be writing its profile while it exits.
        }
    }
}
