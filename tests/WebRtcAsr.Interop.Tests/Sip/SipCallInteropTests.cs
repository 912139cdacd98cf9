using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Microsoft.Playwright;
using WebRtcAsr.Interop.Tests.WebRtc;
using WebRtcAsr.Media.Audio;
using WebRtcAsr.Server.Tests.Calls;
using WebRtcAsr.Server.Tests.Signaling;
using WebRtcAsr.Server.Tests.Support;
using WebRtcAsr.Sip.Tests.Interop;
using WebRtcAsr.Sip.Tests.Transport;
using WebRtcAsr.TestSupport;
using Xunit.Abstractions;

namespace WebRtcAsr.Interop.Tests.Sip;

/// <summary>
/// Real SIP peers call the whole server on 127.0.0.1 and real viewers watch: baresip plays held-out FSDD digits
/// (chosen at test time among those the default model gets right offline) and the calls page in Chromium lists the
/// call and shows the digits as final text (a screenshot is kept); sipp plays RFC 4733 key presses and a hub viewer
/// receives them as Dtmf messages.
/// </summary>
public sealed class SipCallInteropTests(ITestOutputHelper output) : IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);
    private readonly string scratch = Directory.CreateTempSubdirectory("webrtcasr-sipcalls-").FullName;

    [Fact]
    public async Task A_baresip_call_is_listed_and_its_digits_appear_as_final_text_on_the_calls_page()
    {
        var said = RecognizableDigits.Choose(RepoPaths.Model("digits-en-lstm"), count: 1)[0];
        await using var server = await CallCaptionServer.StartAsync(new Dictionary<string, string?> { ["WebRtcAsr:WebRoot"] = Path.Combine(RepoPaths.Root, "web") });
        var wav = Path.Combine(scratch, "call.wav");

        // Silence first, so the page is watching before the digits (a late viewer would get them as history anyway).
        WavFile.Write(wav, [.. new float[4 * 8000], .. said.Samples, .. new float[2 * 8000]], 8000);
        var token = await server.GrantAsync();
        await using var browser = await ChromiumBrowser.LaunchAsync(Silence(), scratch);
        var page = await browser.NewPageAsync();
        await page.GotoAsync(new Uri(server.BaseUri, "calls.html").ToString());

        using (var baresip = Baresip.Call(scratch, server.SipEndpoint, wav, FreeUdpPort(), CallCaptionServer.MediaPortRange() + 100, maxSeconds: 30))
        {
            var call = await ListedAsync(server, token);
            var callId = call.GetProperty("call_id").GetString()!;
            Assert.Equal("sip:baresip@127.0.0.1", call.GetProperty("from").GetString());
            Assert.Equal("PCMU", call.GetProperty("codec").GetString());

            await page.FillAsync("#api-key", TestHost.ApiKey);
            await page.ClickAsync("#refresh");
            await page.ClickAsync($"#calls button[data-call-id=\"{callId}\"]", new PageClickOptions { Timeout = 10_000 });
            await page.WaitForFunctionAsync("() => document.getElementById('call-status').textContent.startsWith('Call ended')", null,
                new PageWaitForFunctionOptions { Timeout = (float)Patience.TotalMilliseconds });
            var finalText = await page.EvaluateAsync<string>("() => [...document.querySelectorAll('#final-list .text')].map(e => e.textContent).join(' ')");
            var status = await page.InnerTextAsync("#call-status");
            var screenshot = Path.Combine(Artifacts(), "calls-page-baresip.png");
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = screenshot, FullPage = true });
            output.WriteLine($"said {said.Digits} ({said.Speaker}); page final text: {finalText}; status: {status}; screenshot {screenshot}");
            Assert.Equal(said.Digits, DigitErrorRate.DigitsOf(finalText));
            Assert.Contains("the caller hung up", status, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Key_presses_sipp_sends_as_rfc4733_reach_a_hub_viewer_and_the_calls_page_as_dtmf()
    {
        await using var server = await CallCaptionServer.StartAsync(new Dictionary<string, string?> { ["WebRtcAsr:WebRoot"] = Path.Combine(RepoPaths.Root, "web") });
        var token = await server.GrantAsync();
        await using var hub = await SignalRJsonClient.ConnectAsync(new Uri(server.HubUri + "?access_token=" + token));
        var watcher = new CallWatcher(hub);
        await using var browser = await ChromiumBrowser.LaunchAsync(Silence(), scratch);
        var page = await browser.NewPageAsync();
        await page.GotoAsync(new Uri(server.BaseUri, "calls.html").ToString());
        await page.FillAsync("#api-key", TestHost.ApiKey);

        // Silence first, so both viewers join before the presses (a late one would get them as history anyway).
        var stream = new PhoneRtpStream(0x5EED_0101).Silence(8000 * 3);
        foreach (var key in new byte[] { 1, 10, 4, 11 }) // "1*4#"
        {
            stream.KeyPress(key, 960).Silence(1600);
        }

        stream.Silence(8000);
        var sipp = Task.Run(() => Sipp.PlayRtp(server.SipEndpoint, stream, scratch));
        var call = await ListedAsync(server, token);
        var callId = call.GetProperty("call_id").GetString()!;
        await watcher.WatchAsync(callId);
        await page.ClickAsync("#refresh");
        await page.ClickAsync($"#calls button[data-call-id=\"{callId}\"]", new PageClickOptions { Timeout = 10_000 });
        await watcher.UntilEndedAsync(Patience);
        var (exit, sippOutput) = await sipp;
        Assert.True(exit == 0, $"sipp exited with {exit}:\n{sippOutput}");

        output.WriteLine($"history {watcher.HistoryCount}, duplicates {watcher.Duplicates}; {watcher.Describe()}");
        Assert.Equal(["1", "*", "4", "#"], watcher.Dtmf());
        var presses = watcher.Messages.Where(m => m.GetProperty("type").GetString() == "Dtmf").ToList();
        Assert.All(presses, m => Assert.Equal(0.12, m.GetProperty("duration").GetDouble(), 3));
        Assert.Equal([3.0, 3.32, 3.64, 3.96], presses.Select(m => Math.Round(m.GetProperty("start").GetDouble(), 2)));
        Assert.Equal(Enumerable.Range(1, watcher.Messages.Count).Select(i => (long)i), watcher.Messages.Select(m => m.GetProperty("seq").GetInt64()));
        Assert.Equal("RemoteHangup", watcher.Ended!.Value.GetProperty("reason").GetString());

        // The page shows the same keys.
        await page.WaitForFunctionAsync("() => document.getElementById('call-status').textContent.startsWith('Call ended')", null,
            new PageWaitForFunctionOptions { Timeout = (float)Patience.TotalMilliseconds });
        var shown = await page.EvaluateAsync<string>("() => [...document.querySelectorAll('#dtmf-keys kbd')].map(k => k.textContent).join('')");
        var screenshot = Path.Combine(Artifacts(), "calls-page-dtmf.png");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = screenshot, FullPage = true });
        output.WriteLine($"page shows keys {shown}; screenshot {screenshot}");
        Assert.Equal("1*4#", shown);
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(scratch, recursive: true);
        }
        catch (IOException)
        {
            // Chromium or baresip may still hold a file for a moment; the folder is in the temp area.
        }
    }

    /// <summary>Waits until GET /v1/calls lists one active call; returns it.</summary>
    private static async Task<JsonElement> ListedAsync(CallCaptionServer server, string token)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        while (!timeout.IsCancellationRequested)
        {
            var (status, body) = await server.CallsAsync("Bearer " + token);
            Assert.Equal(HttpStatusCode.OK, status);
            if (body.EnumerateArray().FirstOrDefault(c => c.GetProperty("state").GetString() == "active") is { ValueKind: JsonValueKind.Object } call)
            {
                return call;
            }

            await Task.Delay(25, CancellationToken.None);
        }

        Assert.Fail("no call was listed as active");
        return default;
    }

    /// <summary>The page needs no microphone; Chromium's fake device still wants a file.</summary>
    private string Silence()
    {
        var path = Path.Combine(scratch, "silence.wav");
        WavFile.Write(path, new float[48000], 48000);
        return path;
    }

    /// <summary>Where test artifacts go: $WEBRTCASR_TEST_ARTIFACTS, else an "artifacts" folder beside the test binaries.</summary>
    private static string Artifacts()
    {
        var folder = Environment.GetEnvironmentVariable("WEBRTCASR_TEST_ARTIFACTS") is { Length: > 0 } configured
            ? configured
            : Path.Combine(AppContext.BaseDirectory, "artifacts");
        Directory.CreateDirectory(folder);
        return folder;
    }

    private static int FreeUdpPort()
    {
        using var probe = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        probe.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)probe.LocalEndPoint!).Port;
    }
}
