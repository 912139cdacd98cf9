using Microsoft.Playwright;
using WebRtcAsr.Speech.Models;
using WebRtcAsr.Speech.Onnx;
using WebRtcAsr.Speech.Recognition;
using WebRtcAsr.Speech.Transducer;
using WebRtcAsr.Server.Tests.Support;
using WebRtcAsr.TestSupport;
using Xunit.Abstractions;

namespace WebRtcAsr.Interop.Tests.WebRtc;

/// <summary>
/// The product's page (web/index.html, served by the server) in Chromium, its fake microphone speaking held-out FSDD
/// digit strings, against the whole server with the digit model: the page shows exactly the digits spoken as final
/// text, after interim text; Finalize ("Finalize now") or CloseStream ("Stop") sent the moment the last digit's audio
/// is captured still yields that digit;
/// 2 and 8 concurrent sessions (one browser process each: the fake-audio file is per process) each get exactly
/// their own transcript; a quiet talker after a loud one is captioned too. Screenshots go to <see cref="ArtifactFolder"/>. About two minutes in all.
/// </summary>
[Collection(ChromiumDigitsCollection.Name)]
public sealed class DigitCaptionsPageTests(DigitCaptionServer fixture, ITestOutputHelper output) : IClassFixture<DigitCaptionServer>, IDisposable
{
    /// <summary>Seconds of silence before the first digit: the page connects while the capture already runs.</summary>
    private const double LeadSeconds = 2.5;

    private static readonly PageWaitForFunctionOptions Patient = new() { Timeout = 30_000, PollingInterval = 50 };
    private readonly string _scratch = Directory.CreateTempSubdirectory("webrtcasr-digits-").FullName;

    /// <summary>Where the screenshots are kept: artifacts/chromium under the test output folder.</summary>
    public static string ArtifactFolder { get; } = Path.Combine(AppContext.BaseDirectory, "artifacts", "chromium");

    [Fact]
    public async Task The_page_shows_the_spoken_digits_as_final_text_after_interim_text()
    {
        var spoken = DigitSpeech.Strings[0];
        await using var browser = await LaunchAsync(MicrophoneScript.Compose([spoken], LeadSeconds, gapSeconds: 8), "single");
        // The page as a user opens it: its own microphone settings (voice processing on), no API key typed (the server
        // lets loopback clients in without one, so the grant answers "no token needed").
        var page = await OpenPageAsync(browser, rawAudio: false, typeApiKey: false);
        await page.ClickAsync("#start");
        await WaitForAsync(page, SpeechFinalReceived);
        await WaitForAsync(page, "() => document.querySelectorAll('#final-list .text').length > 0");

        var seen = await PageObservation.ReadAsync(page);
        var shown = await ShownFinalTextAsync(page);
        output.WriteLine($"spoken {spoken.Digits} ({spoken.Speaker}); page shows \"{shown}\"; {seen.Received.Count} messages");
        output.WriteLine("screenshot: " + await ScreenshotAsync(page, "digits-page.png"));
        Assert.Equal(spoken.Digits, DigitErrorRate.DigitsOf(shown));
        Assert.Equal(spoken.Digits, seen.FinalDigits);
        Assert.Contains(seen.Sent, m => m.Type == "Configure"); // the page's options (numerals, interim_results) reached the server

        // Interim results arrived, and the page showed interim text, before the first final.
        var firstFinal = seen.Finals.First();
        Assert.Contains(seen.Received, m => m.IsResults && !m.IsFinal && m.Digits.Length > 0 && m.TimeMs < firstFinal.TimeMs);
        var firstInterimShown = seen.Shown.FirstOrDefault(s => s.Interim.Length > 0);
        var firstFinalShown = seen.Shown.FirstOrDefault(s => s.Finals.Length > 0);
        Assert.NotNull(firstInterimShown);
        Assert.NotNull(firstFinalShown);
        Assert.True(firstInterimShown.TimeMs < firstFinalShown.TimeMs, $"interim shown at {firstInterimShown.TimeMs} ms, final at {firstFinalShown.TimeMs} ms");
        Assert.Equal("", (await page.InnerTextAsync("#interim")).Trim()); // the final replaced the interim line
    }

    [Fact]
    public async Task A_quiet_talker_after_a_loud_one_is_captioned_too()
    {
        // Loud strings at full scale and quiet ones 20 dB under the usual level, 3 s apart, as two people at different
        // distances from one microphone (the FSDD speakers themselves were recorded up to 20 dB apart). The VAD's state
        // remembers the level it heard: before it was rebuilt after each quiet second, the quiet strings went unheard.
        // The quiet ones are strings the model gets exactly right offline at that level, so only the pipeline is tested.
        const float LoudGain = 2f, QuietGain = 0.1f; // × the strings' peak of 0.5: peaks 1.0 and 0.05
        var loud = DigitSpeech.Strings.Take(2).Select(s => Scaled(s, LoudGain)).ToList();
        List<DigitString> quiet;
        using (var model = TransducerModel.Load(TransducerModelPaths.FromDirectory(DigitSpeech.ModelDir), new OnnxSessionOptions { IntraOpThreads = 1 }))
        using (var recognizer = new OnlineRecognizer(model))
        {
            quiet = [.. DigitSpeech.Strings.Skip(2).Where(s => RecognizableDigitStrings.IsExact(recognizer, s, 0, QuietGain)).Take(2).Select(s => Scaled(s, QuietGain))];
        }

        Assert.True(quiet.Count == 2, "fewer than two strings are recognized offline at the quiet level");
        List<DigitString> spoken = [loud[0], quiet[0], loud[1], quiet[1]];
        await using var browser = await LaunchAsync(MicrophoneScript.Compose(spoken, LeadSeconds, gapSeconds: 3), "loud-quiet");
        var page = await OpenPageAsync(browser);
        await page.ClickAsync("#start");
        var expected = string.Concat(spoken.Select(s => s.Digits));
        try
        {
            await WaitForAsync(page, $"() => JSON.parse(window.pageObserver.read()).received.filter(m => {{ const r = JSON.parse(m.data); return r.type === 'Results' && r.is_final && r.speech_final; }}).length >= {spoken.Count}");
        }
        catch (TimeoutException e)
        {
            output.WriteLine(e.Message); // fewer utterances than strings: the assertion below says which digits are missing
        }

        var seen = await PageObservation.ReadAsync(page);
        output.WriteLine($"spoken {string.Join(" | ", spoken.Select(s => s.Digits))}; finals {string.Join(" | ", seen.Finals.Select(f => f.Digits))}");
        output.WriteLine("screenshot: " + await ScreenshotAsync(page, "digits-loud-quiet.png"));
        Assert.Equal(expected, seen.FinalDigits);
    }

    private static DigitString Scaled(DigitString source, float gain) =>
        source with { Samples = [.. source.Samples.Select(x => Math.Clamp(x * gain, -1f, 1f))] };

    [Theory]
    [InlineData("finalize", "Finalize", 1)] // "Finalize now"
    [InlineData("start", "CloseStream", 14)] // "Stop"
    public async Task Finalize_or_Stop_pressed_as_the_last_digit_ends_still_yields_that_digit(string button, string sends, int which)
    {
        var spoken = DigitSpeech.Strings[which];
        var script = MicrophoneScript.Compose([spoken], LeadSeconds, gapSeconds: 0, tailSeconds: 8);
        var placed = script.Strings[0];
        var lastDigitAfterOnset = placed.End - script.FirstSoundAfter(placed.Start)!.Value;
        await using var browser = await LaunchAsync(script, button);
        var page = await OpenPageAsync(browser);
        await page.ClickAsync("#start");

        // The page presses the button on the chunk of captured audio that holds the last digit's end (within 10 ms).
        await page.EvaluateAsync(
            "([seconds, button]) => window.pageObserver.afterOnset(0, seconds).then(() => document.getElementById(button).click())",
            new object[] { lastDigitAfterOnset, button });
        await WaitForAsync(page, "() => JSON.parse(window.pageObserver.read()).received.some(m => { const r = JSON.parse(m.data); return r.type === 'Results' && r.from_finalize; })");
        await WaitForAsync(page, "() => document.querySelectorAll('#final-list .text').length > 0");

        var seen = await PageObservation.ReadAsync(page);
        var pressed = Assert.Single(seen.Sent, m => m.Type == sends);
        var lastDigitCaptured = seen.Clock!.CaptureTimeMs(seen.Onsets[0] + (lastDigitAfterOnset * seen.SampleRate));
        var shown = await ShownFinalTextAsync(page);
        output.WriteLine($"spoken {spoken.Digits} ({spoken.Speaker}); last digit captured at {lastDigitCaptured:F0} ms, {sends} sent at {pressed.TimeMs:F0} ms; "
            + $"finals: {string.Join(" / ", seen.Finals.Select(f => $"\"{f.Transcript}\"{(f.Is("from_finalize") ? " (from_finalize)" : "")}"))}; page shows \"{shown}\"");
        Assert.InRange(pressed.TimeMs - lastDigitCaptured, 0, 50);
        Assert.DoesNotContain(seen.Finals, f => f.TimeMs < pressed.TimeMs); // no endpoint beat the button
        Assert.Equal(spoken.Digits, seen.FinalDigits);
        Assert.Equal(spoken.Digits, DigitErrorRate.DigitsOf(shown));
        Assert.EndsWith(spoken.Digits[^1..], seen.Finals.Single(f => f.Is("from_finalize")).Digits, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(2)]
    [InlineData(8)]
    public async Task Concurrent_sessions_each_get_exactly_their_own_transcript(int sessions)
    {
        var spoken = DigitSpeech.Strings.Skip(2).Take(sessions).ToList();
        Assert.Equal(sessions, spoken.Count);
        var browsers = await Task.WhenAll(spoken.Select((s, i) => LaunchAsync(MicrophoneScript.Compose([s], LeadSeconds + 2, gapSeconds: 10), $"session{i}")));
        try
        {
            var pages = await Task.WhenAll(browsers.Select(b => OpenPageAsync(b)));
            await Task.WhenAll(pages.Select(p => p.ClickAsync("#start")));
            await Task.WhenAll(pages.Select(p => WaitForAsync(p, SpeechFinalReceived)));
            var shown = await Task.WhenAll(pages.Select(ShownFinalTextAsync));
            var sessionIds = new HashSet<string>();
            for (var i = 0; i < sessions; i++)
            {
                var seen = await PageObservation.ReadAsync(pages[i]);
                output.WriteLine($"session {i}: spoken {spoken[i].Digits} ({spoken[i].Speaker}), page shows \"{shown[i]}\"");
                Assert.True(sessionIds.Add(seen.Received[0].Message.GetProperty("session_id").GetString()!));
                Assert.Equal(spoken[i].Digits, seen.FinalDigits);
                Assert.Equal(spoken[i].Digits, DigitErrorRate.DigitsOf(shown[i]));
            }

            output.WriteLine("screenshot: " + await ScreenshotAsync(pages[^1], $"concurrent-{sessions}.png"));
        }
        finally
        {
            foreach (var browser in browsers)
            {
                await browser.DisposeAsync();
            }
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

    private const string SpeechFinalReceived =
        "() => JSON.parse(window.pageObserver.read()).received.some(m => { const r = JSON.parse(m.data); return r.type === 'Results' && r.is_final && r.speech_final; })";

    /// <summary>Waits for a condition in the page; on a timeout, says what the page and its observer saw.</summary>
    private static async Task WaitForAsync(IPage page, string condition)
    {
        try
        {
            await page.WaitForFunctionAsync(condition, null, Patient);
        }
        catch (TimeoutException e)
        {
            var state = await page.EvaluateAsync<string>(
                "() => { const o = JSON.parse(window.pageObserver.read()); return JSON.stringify({ state: document.getElementById('state-label')?.textContent, "
                + "error: document.getElementById('error-banner')?.hidden ? null : document.getElementById('error-banner')?.textContent, "
                + "rate: o.rate, samples: o.position, onsets: o.onsets, gaps: o.gaps, tapError: o.error, received: o.received.length, sent: o.sent.map(m => m.data), "
                + "last: o.received.slice(-3).map(m => m.data) }); }");
            throw new TimeoutException($"{e.Message} waiting for {condition}; page: {state}", e);
        }
    }

    private static async Task<string> ShownFinalTextAsync(IPage page) =>
        string.Join(" ", await page.Locator("#final-list .text").AllInnerTextsAsync()).Trim();

    private static async Task<string> ScreenshotAsync(IPage page, string name)
    {
        Directory.CreateDirectory(ArtifactFolder);
        var path = Path.Combine(ArtifactFolder, name);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = path, FullPage = true });
        return path;
    }

    private Task<ChromiumBrowser> LaunchAsync(MicrophoneScript script, string name)
    {
        var folder = Directory.CreateDirectory(Path.Combine(_scratch, name)).FullName;
        var wav = Path.Combine(folder, "microphone.wav");
        script.Write(wav);
        return ChromiumBrowser.LaunchAsync(wav, folder);
    }

    /// <summary>Opens the real page with the observer; by default without the browser's voice processing (see <see cref="PageObservation.AttachAsync"/>).</summary>
    private async Task<IPage> OpenPageAsync(ChromiumBrowser browser, bool rawAudio = true, bool typeApiKey = true)
    {
        var page = await browser.NewPageAsync();
        await PageObservation.AttachAsync(page, rawAudio);
        await page.GotoAsync(fixture.PageUri("index.html").ToString());
        if (typeApiKey)
        {
            // As a user types it under "Server settings": the page then exchanges it for an access token.
            await page.ClickAsync("details.settings summary");
            await page.FillAsync("#api-key", TestHost.ApiKey);
        }

        return page;
    }
}

/// <summary>The Chromium digit tests run one at a time: each starts browsers and sessions that share two cores.</summary>
[CollectionDefinition(Name)]
public sealed class ChromiumDigitsCollection
{
    public const string Name = "Chromium digit sessions";
}
