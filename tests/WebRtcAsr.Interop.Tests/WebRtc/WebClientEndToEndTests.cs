using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Playwright;
using WebRtcAsr.Server.Tests.Browser;
using WebRtcAsr.TestSupport;
using Xunit.Abstractions;

namespace WebRtcAsr.Interop.Tests.WebRtc;

/// <summary>
/// The product's browser client (web/captions-client.js, served from the repository's web/ folder by the server)
/// in Chromium against the whole server: it connects with an access token, its captions flow, and when the server
/// drops the connection it reconnects with Offer(sdp, sessionId, lastSeq) and the same session goes on with no
/// duplicate and no missing message; close() ends it with Metadata and leaves nothing behind. With the digit model
/// and three held-out digit strings, the drop falls in the pause after the first: the finals hold exactly the three
/// strings, in order, none twice and none missing. About 20 s.
/// </summary>
[Collection(ChromiumDigitsCollection.Name)]
public sealed class WebClientEndToEndTests(ITestOutputHelper output) : IDisposable
{
    private static readonly PageWaitForFunctionOptions Patient = new() { Timeout = 20_000 };
    private readonly string _scratch = Directory.CreateTempSubdirectory("webrtcasr-webclient-").FullName;

    [Fact]
    public async Task The_web_client_gets_captions_resumes_its_session_after_a_drop_and_closes_cleanly()
    {
        var server = new BrowserCaptionServer { Map = ServePage };
        server.Overrides["WebRtcAsr:WebRoot"] = Path.Combine(RepoPaths.Root, "web");
        server.Overrides["WebRtcAsr:ModelDir"] = DigitSpeech.ModelDir;
        var spoken = DigitSpeech.Strings.Skip(10).Take(3).ToList();
        await server.InitializeAsync();
        try
        {
            await using var browser = await ChromiumBrowser.LaunchAsync(Microphone(spoken), _scratch);
            var page = await browser.NewPageAsync();
            await page.GotoAsync(new Uri(server.BaseUri, "e2e.html").ToString());
            string token = await server.GrantAsync();
            string firstPeer = await page.EvaluateAsync<string>("token => window.e2e.start(token)", token);

            // The first string's final (its speech ended): the drop comes in the 5 s pause before the second.
            await page.WaitForFunctionAsync("() => window.e2e.results.messages.some(m => m.type === 'Results' && m.is_final && m.speech_final)", null, Patient);
            var before = (await PageResults(page)).GetProperty("messages").GetArrayLength();

            // The server loses the peer (as when the network drops): the client offers again, resuming its session.
            Assert.True(server.Transport.TryGetPeer(firstPeer, out var peer));
            Assert.True(peer!.TryPost((pc, now) => pc.Close(now)));
            await page.WaitForFunctionAsync("() => window.e2e.results.states.some(s => s.state === 'live' && s.resumed)", null, Patient);
            await page.WaitForFunctionAsync(
                $"() => window.e2e.results.messages.slice({before}).some(m => m.type === 'Results' && m.is_final)", null, Patient);
            // The third string's final: every string has been heard once.
            await page.WaitForFunctionAsync(
                "() => window.e2e.results.messages.filter(m => m.type === 'Results' && m.is_final && m.speech_final && m.channel.alternatives[0].transcript).length >= 3",
                null, Patient);
            await page.EvaluateAsync("() => window.e2e.close()");

            var results = await PageResults(page);
            var messages = results.GetProperty("messages").EnumerateArray().ToList();
            output.WriteLine($"{messages.Count} messages; states {results.GetProperty("states")}; warnings {results.GetProperty("warnings")}; errors {results.GetProperty("errors")}");
            output.WriteLine("page shows: " + await page.InnerTextAsync("#captions"));
            string sessionId = messages[0].GetProperty("session_id").GetString()!;
            for (var i = 0; i < messages.Count; i++)
            {
                Assert.Equal(i + 1, messages[i].GetProperty("seq").GetInt64()); // nothing missing, nothing twice
                Assert.Equal(sessionId, messages[i].GetProperty("session_id").GetString());
            }

            Assert.Equal("Metadata", messages[^1].GetProperty("type").GetString());
            var finals = messages.Where(m => m.GetProperty("type").GetString() == "Results" && m.GetProperty("is_final").GetBoolean())
                .Select(m => DigitErrorRate.DigitsOf(m.GetProperty("channel").GetProperty("alternatives")[0].GetProperty("transcript").GetString()!))
                .Where(d => d.Length > 0).ToList();
            output.WriteLine($"spoken {string.Join(" ", spoken.Select(s => s.Digits))}; finals {string.Join(" ", finals)}");
            Assert.Equal(string.Concat(spoken.Select(s => s.Digits)), string.Concat(finals));
            Assert.Empty(results.GetProperty("warnings").EnumerateArray()); // neither session_restarted nor captions_missed
            Assert.NotEqual(firstPeer, await page.EvaluateAsync<string>("() => window.e2e.session.peerId"));
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

    private static async Task<JsonElement> PageResults(IPage page) =>
        JsonDocument.Parse(await page.EvaluateAsync<string>("() => JSON.stringify(window.e2e.results)")).RootElement.Clone();

    private static void ServePage(WebApplication app) => TestPage.Serve(app, "/e2e.html", "web_client_page.html");

    /// <summary>2.5 s of silence (the page connects), then the strings 5 s apart, at 48 kHz.</summary>
    private string Microphone(IEnumerable<DigitString> spoken)
    {
        string path = Path.Combine(_scratch, "microphone.wav");
        MicrophoneScript.Compose(spoken, leadSeconds: 2.5, gapSeconds: 5).Write(path);
        return path;
    }
}
