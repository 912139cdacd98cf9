using System.Text.Json;
using Microsoft.Playwright;
using WebRtcAsr.TestSupport;

namespace WebRtcAsr.Interop.Tests.WebRtc;

/// <summary>A data-channel message the page received or sent, at its page time (ms), parsed.</summary>
internal sealed record TimedMessage(double TimeMs, JsonElement Message)
{
    public string Type => Message.GetProperty("type").GetString() ?? "";

    public bool IsResults => Type == "Results";

    public bool IsFinal => IsResults && Message.GetProperty("is_final").GetBoolean();

    public bool Is(string flag) => Message.TryGetProperty(flag, out var v) && v.ValueKind == JsonValueKind.True;

    public string Transcript => IsResults ? Message.GetProperty("channel").GetProperty("alternatives")[0].GetProperty("transcript").GetString() ?? "" : "";

    public string Digits => DigitErrorRate.DigitsOf(Transcript);
}

/// <summary>What the page showed at a moment: its interim line and its final text (utterances joined by " | ").</summary>
internal sealed record ShownText(double TimeMs, string Interim, string Finals);

/// <summary>
/// What Clients/page_observer.js recorded in a page: the microphone tap (chunks, onsets), the data-channel traffic
/// and the page's shown text, all on the page's clock.
/// </summary>
internal sealed record PageObservation(
    CaptureClock? Clock, int SampleRate, IReadOnlyList<long> Onsets, IReadOnlyList<double> TimestampGapsMicros,
    IReadOnlyList<TimedMessage> Received, IReadOnlyList<TimedMessage> Sent, IReadOnlyList<ShownText> Shown)
{
    /// <summary>The observer script (read from the checkout, where the latency benchmark also finds it), to add to a page before its own scripts run.</summary>
    public static string Script { get; } = File.ReadAllText(Path.Combine(RepoPaths.Root, "tests", "WebRtcAsr.Interop.Tests", "Clients", "page_observer.js"));

    public IEnumerable<TimedMessage> Finals => Received.Where(m => m.IsFinal);

    /// <summary>The digits of every final result, in order.</summary>
    public string FinalDigits => string.Concat(Finals.Select(m => m.Digits));

    /// <summary>
    /// Adds the observer to the page. With <paramref name="rawAudio"/>, the page's getUserMedia gets the microphone
    /// without the browser's voice processing (echo cancellation, noise suppression, gain control), whatever the page
    /// asks: on a fake microphone that processing only reshapes the test audio (it can turn a "zero" the model gets
    /// right offline into a "two"), which tests the model's robustness rather than our pipeline.
    /// </summary>
    public static Task AttachAsync(IPage page, bool rawAudio = false) =>
        page.AddInitScriptAsync((rawAudio ? "window.pageObserverRawAudio = true;\n" : "") + Script);

    public static async Task<PageObservation> ReadAsync(IPage page)
    {
        using var json = JsonDocument.Parse(await page.EvaluateAsync<string>("() => window.pageObserver.read()"));
        var root = json.RootElement;
        var rate = root.GetProperty("rate").GetInt32();
        var flat = root.GetProperty("chunks").EnumerateArray().Select(e => e.GetDouble()).ToArray();
        var chunks = Enumerable.Range(0, flat.Length / 2).Select(i => ((long)flat[2 * i], flat[(2 * i) + 1])).ToList();
        return new PageObservation(
            chunks.Count > 0 && rate > 0 ? new CaptureClock(rate, chunks) : null,
            rate,
            [.. root.GetProperty("onsets").EnumerateArray().Select(e => e.GetInt64())],
            [.. root.GetProperty("gaps").EnumerateArray().Select(e => e.GetDouble())],
            Messages(root.GetProperty("received")),
            Messages(root.GetProperty("sent")),
            [.. root.GetProperty("dom").EnumerateArray().Select(e => new ShownText(
                e.GetProperty("t").GetDouble(), e.GetProperty("interim").GetString() ?? "", e.GetProperty("finals").GetString() ?? ""))]);
    }

    private static List<TimedMessage> Messages(JsonElement list) =>
        [.. list.EnumerateArray().Select(e => new TimedMessage(e.GetProperty("t").GetDouble(), JsonDocument.Parse(e.GetProperty("data").GetString()!).RootElement.Clone()))];
}
