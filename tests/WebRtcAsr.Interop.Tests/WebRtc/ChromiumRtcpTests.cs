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
/// own SSRC, with packetsLost and jitter from our blocks and a roundTripTime that needs our LSR/DLSR
/// to echo its sender reports. Reuses the interop client page; an init script keeps a handle on the
/// page's RTCPeerConnection for getStats(). Real time: about 10-20 s (the browser's first sender
/// report comes a few seconds in, and our next report after it carries LSR).
/// </summary>
public sealed class ChromiumRtcpTests(ITestOutputHelper output) : IDisposable
{
    private const string KeepPeerConnections = """
        (() => {
          const Native = window.RTCPeerConnection;
          window.__peers = [];
          window.RTCPeerConnection = function (...args) { const pc = new Native(...args); window.__peers.push(pc); return pc; };
          window.RTCPeerConnection.prototype = Native.prototype;
        })();
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
        await using var browser = await ChromiumBrowser.LaunchAsync(FakeMicrophone(reference), _scratch);
        var page = await browser.NewPageAsync();
        await page.AddInitScriptAsync(KeepPeerConnections);
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
        Assert.True(remote.ValueKind == JsonValueKind.Object, "no remote-inbound-rtp: Chromium took no report block from us");
        var outbound = stats.GetProperty("outbound-rtp");
        Assert.Equal(outbound.GetProperty("ssrc").GetUInt32(), remote.GetProperty("ssrc").GetUInt32()); // the block is about its own audio
        int measurements = remote.GetProperty("roundTripTimeMeasurements").GetInt32();
        Assert.True(measurements >= 2, "fewer than two round-trip times in 40 s: our reports' LSR/DLSR did not echo its sender reports");

        // Loopback: no loss, little jitter, a round trip well under a second (it includes our worker's scheduling).
        Assert.Equal(0, remote.GetProperty("packetsLost").GetInt32());
        Assert.Equal(0, remote.GetProperty("fractionLost").GetDouble());
        Assert.InRange(remote.GetProperty("jitter").GetDouble(), 0, 0.1);
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

    private static void ServePage(WebApplication app)
    {
        string page = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Clients", "chromium_client.html"));
        app.MapGet("/client.html", () => Results.Content(page, "text/html"));
    }

    private string FakeMicrophone(WavAudio reference)
    {
        string path = Path.Combine(_scratch, "microphone.wav");
        WavFile.Write(path, ReceivedAudio.Resample(reference.ToMono(), reference.SampleRate, 48000), 48000);
        return path;
    }
}
