using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Playwright;
using WebRtcAsr.Media.Audio;
using WebRtcAsr.Rtc.PeerConnection;
using WebRtcAsr.TestSupport;
using Xunit.Abstractions;

namespace WebRtcAsr.Interop.Tests.WebRtc;

/// <summary>
/// Debian's Chromium, driven by Playwright (its bundled driver, offline; the browser is the system's),
/// as the product's real client: a page served by the test host signals through the hub, sends its
/// fake microphone (a spoken-digits WAV) and opens "captions". The server decodes the Opus it
/// receives and matches it to the WAV; data flows both ways with messages over 64 KiB; hang-up and
/// tab close leave nothing behind. Real time: about 15 s for both tests, most of it audio.
/// </summary>
public sealed class ChromiumInteropTests(ITestOutputHelper output) : IDisposable
{
    private readonly string _scratch = Directory.CreateTempSubdirectory("webrtcasr-chromium-").FullName;

    private static string SourceWav => Path.Combine(RepoPaths.Root, "tests", "WebRtcAsr.Speech.Tests", "Reference", "audio", "digits-4242424-jackson.wav");

    [Fact]
    public async Task Chromium_sends_audio_and_data_and_hang_up_leaves_nothing_behind()
    {
        var reference = WavFile.Read(SourceWav);
        await using var server = await EchoingServer.StartAsync(ServePage);
        await using var browser = await ChromiumBrowser.LaunchAsync(FakeMicrophone(reference), _scratch);
        var page = await browser.NewPageAsync();
        await page.GotoAsync(new Uri(server.Host.BaseUri, "client.html").ToString());
        string peerId = await page.EvaluateAsync<string>("() => window.client.start()");

        await page.EvaluateAsync("() => window.client.sendText('hello from chromium')");
        await page.EvaluateAsync("() => window.client.sendPattern(100000)");
        await page.WaitForFunctionAsync("() => window.client.results.captions.length >= 2 && window.client.results.pushed.length >= 2");
        var results = await PageResults(page);
        output.WriteLine($"page: {results}");
        var captions = results.GetProperty("captions");
        Assert.Equal("echo: hello from chromium", captions[0].GetString());
        Assert.Equal(100000, captions[1].GetProperty("binary").GetInt32()); // echoed whole: Chromium accepts 256 KiB
        Assert.True(captions[1].GetProperty("patternOk").GetBoolean());
        var pushed = results.GetProperty("pushed");
        Assert.Equal("server-push", pushed[0].GetProperty("label").GetString());
        Assert.Equal("welcome", pushed[0].GetProperty("data").GetString());
        Assert.Equal(100000, pushed[1].GetProperty("data").GetProperty("binary").GetInt32());
        Assert.True(pushed[1].GetProperty("data").GetProperty("patternOk").GetBoolean());
        output.WriteLine($"Chromium offer-to-connected (page clock): {results.GetProperty("offerToConnectedMs").GetDouble():F1} ms");

        // The fake microphone loops the file from getUserMedia on; two lengths hold one whole pass.
        await Task.Delay(TimeSpan.FromSeconds((2 * reference.DurationSeconds) + 0.5));
        await page.EvaluateAsync("() => window.client.hangUp()");
        Assert.True(await server.NothingLeftAsync(), server.Counts());
        Assert.Contains(server.Log.Events, e => e.PeerId == peerId && e.Event.Kind == PeerConnectionEventKind.StateChanged && e.Event.State == PeerConnectionState.Closed);

        var audio = server.AudioOf(peerId);
        var decoded = ReceivedAudio.Resample(ReceivedAudio.Decode(audio), 48000, reference.SampleRate);
        var alignment = AudioAlignment.Find(reference.ToMono(), decoded, reference.SampleRate);
        output.WriteLine($"Chromium audio: {audio.Count} packets (PT {audio[0].Header.PayloadType}), {decoded.Length / (double)reference.SampleRate:F2} s decoded, " +
            $"lag {alignment.LagSamples} samples, overlap {alignment.Overlap:P0}, envelope r = {alignment.EnvelopeCorrelation:F3}, waveform r = {alignment.WaveformCorrelation:F3}");
        AiortcInteropTests.AssertSameSpeech(alignment, decoded, reference.SampleRate);
    }

    [Fact]
    public async Task Closing_the_tab_leaves_nothing_behind()
    {
        var reference = WavFile.Read(SourceWav);
        await using var server = await EchoingServer.StartAsync(ServePage);
        await using var browser = await ChromiumBrowser.LaunchAsync(FakeMicrophone(reference), _scratch);
        var page = await browser.NewPageAsync();
        await page.GotoAsync(new Uri(server.Host.BaseUri, "client.html").ToString());
        string peerId = await page.EvaluateAsync<string>("() => window.client.start()");
        Assert.True(await Server.Tests.Signaling.PeerEventLog.WaitForAsync(() => server.Log.Has(peerId, PeerConnectionState.Connected)));
        Assert.Equal(1, server.Host.Transport.PeerCount);

        await page.CloseAsync(); // the signaling WebSocket goes with the tab: the hub hangs up its peers
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

    private static async Task<JsonElement> PageResults(IPage page) =>
        JsonDocument.Parse(await page.EvaluateAsync<string>("() => JSON.stringify(window.client.results)")).RootElement.Clone();

    /// <summary>The reference at 48 kHz, Chromium's capture rate, so its fake device plays it unresampled.</summary>
    private string FakeMicrophone(WavAudio reference)
    {
        string path = Path.Combine(_scratch, "microphone.wav");
        WavFile.Write(path, ReceivedAudio.Resample(reference.ToMono(), reference.SampleRate, 48000), 48000);
        return path;
    }
}
