using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Playwright;
using WebRtcAsr.Server.Tests.Browser;
using WebRtcAsr.TestSupport;
using Xunit.Abstractions;

namespace WebRtcAsr.Interop.Tests.WebRtc;

/// <summary>
/// Chromium end to end against the whole server (caption core, browser sessions, signaling, UDP transport; the
/// digit model): the fake microphone speaks a held-out digit string then pauses, the page receives caption Results
/// on its "captions" channel and shows the final text, exactly the digits spoken; Finalize and CloseStream end the
/// session with Metadata and the server closes the connection. About 8 s.
/// </summary>
[Collection(ChromiumDigitsCollection.Name)]
public sealed class ChromiumCaptionsTests(ITestOutputHelper output) : IDisposable
{
    private readonly string _scratch = Directory.CreateTempSubdirectory("webrtcasr-captions-").FullName;

    [Fact]
    public async Task Chromium_speech_becomes_captions_on_the_page_and_CloseStream_ends_the_session()
    {
        var server = new BrowserCaptionServer { Map = ServePage };
        server.Overrides["WebRtcAsr:Auth:AllowUnauthenticatedLocalhost"] = "true"; // the page connects from 127.0.0.1
        server.Overrides["WebRtcAsr:ModelDir"] = DigitSpeech.ModelDir;
        var spoken = DigitSpeech.Strings[13];
        await server.InitializeAsync();
        try
        {
            await using var browser = await ChromiumBrowser.LaunchAsync(Microphone(spoken), _scratch);
            var page = await browser.NewPageAsync();
            await page.GotoAsync(new Uri(server.BaseUri, "captions.html").ToString());
            string sessionId = await page.EvaluateAsync<string>("() => window.page.start()");
            Assert.NotNull(server.Registry.Find(sessionId));

            // The microphone's pause ends the utterance: a final with speech_final.
            await page.WaitForFunctionAsync(
                "() => window.page.results.messages.some(m => m.type === 'Results' && m.is_final && m.speech_final)",
                null, new PageWaitForFunctionOptions { Timeout = 20_000 });
            await page.EvaluateAsync("() => window.page.send({ type: 'Finalize' })");
            await page.EvaluateAsync("() => window.page.send({ type: 'CloseStream' })");
            await page.WaitForFunctionAsync("() => window.page.results.messages.some(m => m.type === 'Metadata')", null,
                new PageWaitForFunctionOptions { Timeout = 20_000 });
            await page.WaitForFunctionAsync("() => window.page.results.channelClosed === true", null, new PageWaitForFunctionOptions { Timeout = 10_000 });

            var results = JsonDocument.Parse(await page.EvaluateAsync<string>("() => JSON.stringify(window.page.results)")).RootElement;
            var messages = results.GetProperty("messages").EnumerateArray().ToList();
            string shown = await page.InnerTextAsync("#captions");
            output.WriteLine($"{messages.Count} messages; spoken {spoken.Digits}; page shows: {shown}");
            for (var i = 0; i < messages.Count; i++)
            {
                Assert.Equal(i + 1, messages[i].GetProperty("seq").GetInt64());
                Assert.Equal(sessionId, messages[i].GetProperty("session_id").GetString());
            }

            var results0 = messages.Where(m => m.GetProperty("type").GetString() == "Results").ToList();
            var finals = results0.Where(m => m.GetProperty("is_final").GetBoolean()).ToList();
            Assert.Contains(results0, m => !m.GetProperty("is_final").GetBoolean());
            Assert.NotEmpty(finals);
            Assert.Equal("Metadata", messages[^1].GetProperty("type").GetString());
            var finalText = string.Join(" ", finals.Select(Transcript).Where(t => t.Length > 0));
            Assert.NotEmpty(finalText);
            Assert.Equal(finalText, shown.Trim());
            Assert.Equal(spoken.Digits, DigitErrorRate.DigitsOf(finalText));
            Assert.True(await server.NothingLeftAsync(), server.Counts());
        }
        finally
        {
            await server.DisposeAsync();
        }
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

    private static string Transcript(JsonElement results) =>
        results.GetProperty("channel").GetProperty("alternatives")[0].GetProperty("transcript").GetString() ?? "";

    private static void ServePage(WebApplication app) => TestPage.Serve(app, "/captions.html", "captions_page.html");

    /// <summary>2.5 s of silence (the page connects), the digits, then 6 s of silence (an utterance end), at 48 kHz.</summary>
    private string Microphone(DigitString spoken)
    {
        string path = Path.Combine(_scratch, "microphone.wav");
        MicrophoneScript.Compose([spoken], leadSeconds: 2.5, gapSeconds: 6).Write(path);
        return path;
    }
}
