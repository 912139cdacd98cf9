using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using WebRtcAsr.Media.Audio;
using WebRtcAsr.TestSupport;
using Xunit.Abstractions;

namespace WebRtcAsr.Interop.Tests.WebRtc;

/// <summary>
/// Chromium reads the server's RTCP receiver reports: the page's audio sender gets a
/// remote-inbound-rtp entry in getStats() (which only report blocks from the far end create) for its
/// own SSRC, with packetsLost, fractionLost and jitter from our blocks and a roundTripTime that needs
/// our LSR/DLSR to echo its sender reports. A UDP relay between browser and server drops every
/// tenth RTP packet, so the loss Chromium shows can only have come from our counts. Reuses the
/// interop client page; an init script keeps a handle on the page's RTCPeerConnection and points the
/// answer's candidates at the relay. Real time: about 10-20 s (the browser's first sender report
/// comes a few seconds in, and our next report after it carries LSR).
/// </summary>
public sealed class ChromiumRtcpTests(ITestOutputHelper output) : IDisposable
{
    private const int DropEvery = 10;

    // Keeps the page's peer connections for getStats(), and sends its media to the relay: every
    // host candidate of the answer becomes the relay's address (ICE-lite answers carry all of ours).
    private const string KeepPeersAndRelay = """
        (relayPort) => {
          const Native = window.RTCPeerConnection;
          const setRemote = Native.prototype.setRemoteDescription;
          Native.prototype.setRemoteDescription = function (description) {
            const sdp = description.sdp.replace(/ \d+\.\d+\.\d+\.\d+ \d+ typ host/g, ` 127.0.0.1 ${relayPort} typ host`);
            return setRemote.call(this, { type: description.type, sdp });
          };
          window.__peers = [];
          window.RTCPeerConnection = function (...args) { const pc = new Native(...args); window.__peers.push(pc); return pc; };
          window.RTCPeerConnection.prototype = Native.prototype;
        }
        """;

    private const string AudioStats = """
        async () => {
          const out = {};
          (await window.__peers[0].getStats()).forEach((s) => {
            if ((s.type === 'outbound-rtp' || s.type === 'remote-inbound-rtp') && s.kind === 'audio') out[s.type] = s;
          });
          return JSON.stringify(out);
        }
        """;

    private readonly string _scratch = Directory.CreateTempSubdirectory("webrtcasr-chromium-rtcp-").FullName;

    private static string SourceWav => Path.Combine(RepoPaths.Root, "tests", "WebRtcAsr.Speech.Tests", "Reference", "audio", "digits-4242424-jackson.wav");

    [Fact]
    public async Task Chromium_reports_loss_jitter_and_round_trip_time_from_our_receiver_reports()
    {
        var reference = WavFile.Read(SourceWav);
        await using var server = await EchoingServer.StartAsync(ServePage);
        await using var relay = LossyRelay.Start(server.Host.UdpEndPoint, DropEvery);
        await using var browser = await ChromiumBrowser.LaunchAsync(FakeMicrophone(reference), _scratch);
        var page = await browser.NewPageAsync();
        await page.AddInitScriptAsync($"({KeepPeersAndRelay})({relay.Port});");
        await page.GotoAsync(new Uri(server.Host.BaseUri, "client.html").ToString());
        string peerId = await page.EvaluateAsync<string>("() => window.client.start()");

        JsonElement stats = default;
        JsonElement remote = default;
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(40);
        while (DateTime.UtcNow < deadline)
        {
            stats = JsonDocument.Parse(await page.EvaluateAsync<string>(AudioStats)).RootElement.Clone();
            if (stats.TryGetProperty("remote-inbound-rtp", out remote)
                && remote.TryGetProperty("roundTripTimeMeasurements", out var rttCount) && rttCount.GetInt32() >= 2)
            {
                break;
            }

            await Task.Delay(500);
        }

        output.WriteLine($"Chromium audio stats: {stats}");
        output.WriteLine($"relay: {relay.RtpForwarded} RTP packets forwarded, {relay.RtpDropped} dropped");
        Assert.True(remote.ValueKind == JsonValueKind.Object, "no remote-inbound-rtp: Chromium took no report block from us");
        var outbound = stats.GetProperty("outbound-rtp");
        Assert.Equal(outbound.GetProperty("ssrc").GetUInt32(), remote.GetProperty("ssrc").GetUInt32()); // the block is about its own audio
        int measurements = remote.GetProperty("roundTripTimeMeasurements").GetInt32();
        Assert.True(measurements >= 2, "fewer than two round-trip times in 40 s: our reports' LSR/DLSR did not echo its sender reports");

        // The relay drops one packet in ten: the last interval's fraction is about 25/256, and the
        // cumulative count at most what it dropped (the report lags behind the relay's count).
        Assert.InRange(remote.GetProperty("fractionLost").GetDouble(), 0.05, 0.15);
        Assert.InRange(remote.GetProperty("packetsLost").GetInt32(), 1, relay.RtpDropped);

        // Loopback: a sane jitter and a round trip well under a second (both include our worker's scheduling: with the
        // whole suite on two cores, the server read packets in bursts and reported 0.12 s of jitter once).
        Assert.InRange(remote.GetProperty("jitter").GetDouble(), 0, 0.5);
        Assert.InRange(remote.GetProperty("roundTripTime").GetDouble(), 0, 0.5);

        // Every round trip Chromium measured came from a report the server sent for this peer.
        Assert.True(server.Host.Transport.TryGetPeer(peerId, out var peer), "the server peer is gone");
        Assert.True(peer!.Connection.Counters.RtcpSent >= measurements);

        await page.EvaluateAsync("() => window.client.hangUp()");
        Assert.True(await server.NothingLeftAsync(), server.Counts());
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_scratch, recursive: true);
        }
        catch (IOException)
        {
            // Chromium may still hold a file for a moment; the folder is in the temp area.
        }
    }

    private static void ServePage(WebApplication app) => TestPage.Serve(app, "/client.html", "chromium_client.html");

    /// <summary>
    /// One UDP socket between the browser and the server: what comes from the server goes to the
    /// browser (the address of the first datagram that did not come from the server), everything
    /// else to the server, except every n-th RTP packet (RFC 7983 first byte 128-191, an RTP and not
    /// an RTCP packet type), which is dropped.
    /// </summary>
    private sealed class LossyRelay : IAsyncDisposable
    {
        private readonly Socket _socket = new(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        private readonly CancellationTokenSource _stop = new();
        private readonly IPEndPoint _server;
        private readonly int _dropEvery;
        private Task _loop = Task.CompletedTask;
        private int _rtpSeen;
        private int _rtpDropped;

        private LossyRelay(IPEndPoint server, int dropEvery)
        {
            _server = server;
            _dropEvery = dropEvery;
            _socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        }

        public int Port => ((IPEndPoint)_socket.LocalEndPoint!).Port;

        public int RtpDropped => Volatile.Read(ref _rtpDropped);

        public int RtpForwarded => Volatile.Read(ref _rtpSeen) - RtpDropped;

        public static LossyRelay Start(IPEndPoint server, int dropEvery)
        {
            var relay = new LossyRelay(server, dropEvery);
            relay._loop = relay.RunAsync();
            return relay;
        }

        public async ValueTask DisposeAsync()
        {
            await _stop.CancelAsync();
            _socket.Dispose();
            try
            {
                await _loop;
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                // the socket closed under the pending receive
            }

            _stop.Dispose();
        }

        private async Task RunAsync()
        {
            var buffer = new byte[2048];
            IPEndPoint? browser = null;
            while (!_stop.IsCancellationRequested)
            {
                var received = await _socket.ReceiveFromAsync(buffer, SocketFlags.None, new IPEndPoint(IPAddress.Any, 0), _stop.Token);
                var from = (IPEndPoint)received.RemoteEndPoint;
                var datagram = buffer.AsMemory(0, received.ReceivedBytes);
                if (from.Equals(_server))
                {
                    if (browser is not null)
                    {
                        await _socket.SendToAsync(datagram, SocketFlags.None, browser, _stop.Token);
                    }

                    continue;
                }

                browser = from;
                bool rtp = datagram.Length > 1 && datagram.Span[0] is >= 128 and <= 191 && datagram.Span[1] is < 192 or > 223;
                if (rtp && Interlocked.Increment(ref _rtpSeen) % _dropEvery == 0)
                {
                    Interlocked.Increment(ref _rtpDropped);
                    continue;
                }

                await _socket.SendToAsync(datagram, SocketFlags.None, _server, _stop.Token);
            }
        }
    }

    private string FakeMicrophone(WavAudio reference)
    {
        string path = Path.Combine(_scratch, "microphone.wav");
        WavFile.Write(path, ReceivedAudio.Resample(reference.ToMono(), reference.SampleRate, 48000), 48000);
        return path;
    }
}
