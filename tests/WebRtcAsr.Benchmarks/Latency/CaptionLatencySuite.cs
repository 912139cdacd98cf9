using System.Diagnostics;
using System.Globalization;
using Microsoft.Playwright;
using WebRtcAsr.Interop.Tests.WebRtc;
using WebRtcAsr.Speech.Models;
using WebRtcAsr.Speech.Onnx;
using WebRtcAsr.Speech.Recognition;
using WebRtcAsr.Speech.Transducer;
using WebRtcAsr.TestSupport;

namespace WebRtcAsr.Benchmarks.Latency;

/// <summary>
/// Caption latency as a person at the page sees it: Chromium's fake microphone speaks held-out FSDD digit strings
/// into one session of the product's client module against the whole server (in this process, default digit model);
/// for every digit, from the capture of the end of its speech to the first message on the page that shows it, and
/// to its final. Prints p50/p95/max with the targets (first appearance p95 ≤ 300 ms; final p95 ≤ endpointing +
/// 150 ms, taken over the digits that end an utterance, since an earlier digit's final waits for the rest of its
/// utterance by design) and the server's own per-word histograms from /metrics for comparison.
/// How audio time maps to page time, and its error bound: see <see cref="DigitLatencies"/> and
/// <see cref="CaptureClock"/>, and docs/latency.md.
/// The same strings through our recognizer alone (offline, stream time, no network, no waiting for audio) give the
/// model's own share: how early or late it emits a digit relative to the end of its speech.
/// Usage: latency [--strings N] [--seed S] [--endpointing MS] [--gap SECONDS] [--vad on|off] [--model DIR] [--per-string]
/// </summary>
[BenchmarkSuite("latency", "caption latency per digit, fake microphone in Chromium to the page: first appearance and final, p50/p95")]
internal static class CaptionLatencySuite
{
    private const double FirstTargetMs = 300;
    private const double FinalMarginMs = 150;
    private const double LeadSeconds = 3;

    public static int Run(string[] args) => RunAsync(args).GetAwaiter().GetResult();

    private static async Task<int> RunAsync(string[] args)
    {
        var model = Arg(args, "--model") ?? DefaultModel.Resolve();
        var count = int.Parse(Arg(args, "--strings") ?? "24", CultureInfo.InvariantCulture);
        var seed = int.Parse(Arg(args, "--seed") ?? "11", CultureInfo.InvariantCulture);
        var endpointing = int.Parse(Arg(args, "--endpointing") ?? "300", CultureInfo.InvariantCulture);
        var gap = double.Parse(Arg(args, "--gap") ?? "2.0", CultureInfo.InvariantCulture);
        var vad = (Arg(args, "--vad") ?? "on") != "off";

        // Strings the model gets exactly right offline, so each digit's latency is well defined.
        var clock = Stopwatch.StartNew();
        var candidates = SpokenDigitStrings.Compose(Fsdd.Recordings(RepoPaths.FsddRecordings()), r => r.IsTest, count * 3, seed);
        IReadOnlyList<DigitString> spoken;
        var offline = new List<double>();
        using (var transducer = TransducerModel.Load(TransducerModelPaths.FromDirectory(model), new OnnxSessionOptions { IntraOpThreads = 1 }))
        using (var recognizer = new OnlineRecognizer(transducer))
        {
            spoken = RecognizableDigitStrings.Choose(recognizer, candidates, count);
            foreach (var s in spoken)
            {
                var padded = s with { Samples = [.. s.Samples, .. new float[s.SampleRate]] };
                var result = DigitRecognition.Run(recognizer, DigitStrings.Resample(padded, 16000), 320);
                offline.AddRange(Enumerable.Range(0, s.Digits.Length).Where(i => result.FirstSeen[i] is not null).Select(i => (result.FirstSeen[i]!.Value - s.DigitEnds[i]) * 1000));
            }
        }

        var script = MicrophoneScript.Compose(spoken, LeadSeconds, gap);
        Console.WriteLine($"model {model}");
        Console.WriteLine($"{spoken.Count} held-out strings ({spoken.Sum(s => s.Digits.Length)} digits, seed {seed}) recognized exactly offline, "
            + $"chosen in {clock.Elapsed.TotalSeconds:F0} s; fake microphone {script.DurationSeconds:F0} s ({LeadSeconds} s lead, {gap} s between strings)");
        Console.WriteLine($"client: Chromium (Debian chromium, headless, --use-file-for-fake-audio-capture, voice processing off) with web/captions-client.js; "
            + $"one session; Configure endpointing {endpointing} ms, interim_results on; server VAD {(vad ? "on (its defaults)" : "off")}");

        var scratch = Directory.CreateTempSubdirectory("webrtcasr-latency-").FullName;
        try
        {
            var wav = Path.Combine(scratch, "microphone.wav");
            script.Write(wav);
            await using var server = await LatencyServer.StartAsync(model, LatencyPage.Path, LatencyPage.Html,
                new Dictionary<string, string?> { ["WebRtcAsr:Vad:Enabled"] = vad ? "true" : "false" });
            PageObservation seen;
            await using (var browser = await ChromiumBrowser.LaunchAsync(wav, scratch))
            {
                var page = await browser.NewPageAsync();
                await PageObservation.AttachAsync(page);
                await page.GotoAsync(new Uri(server.BaseUri, LatencyPage.Path.TrimStart('/')).ToString());
                await page.EvaluateAsync("([token, endpointing]) => window.latency.start(token, endpointing)", new object[] { await server.GrantAsync(), endpointing });

                // Until the last string has been captured and its final has had time to come.
                var firstSound = script.FirstSoundAfter(0)!.Value;
                var wait = script.Strings[^1].End - firstSound + Math.Min(gap, 1.5);
                await page.EvaluateAsync("seconds => window.pageObserver.afterOnset(0, seconds)", wait);
                await page.EvaluateAsync("() => window.latency.close()");
                seen = await PageObservation.ReadAsync(page);
            }

            var run = DigitLatencies.Measure(script, seen);
            Print(run, seen, endpointing, spoken.Count);
            if (args.Contains("--per-string"))
            {
                PrintPerString(run, spoken);
            }

            offline.Sort();
            Line("for comparison: recognizer alone, offline (stream time, 20 ms chunks)", offline, "-", null);
            PrintServerHistograms(await server.MetricsAsync());
            return 0;
        }
        finally
        {
            try
            {
                Directory.Delete(scratch, recursive: true);
            }
            catch (IOException)
            {
                // Chromium may still hold a file for a moment; the folder is in the temp area.
            }
        }
    }

    private static void Print(LatencyRun run, PageObservation seen, int endpointing, int strings)
    {
        Console.WriteLine($"capture: {seen.SampleRate} Hz, {seen.Clock?.Chunks} chunks, {seen.TimestampGapsMicros.Count} timestamp gaps{(seen.TimestampGapsMicros.Count > 0 ? $" ({string.Join(", ", seen.TimestampGapsMicros.Select(g => $"{g / 1000:F1} ms"))})" : "")}, {seen.Onsets.Count} onsets; "
            + $"script-to-capture alignment within {run.AlignmentErrorMs:F1} ms; {strings - run.LeftOut.Count}/{strings} strings measured"
            + (run.LeftOut.Count > 0 ? $" (left out: {string.Join("; ", run.LeftOut)})" : ""));
        Console.WriteLine("messages received: " + string.Join(", ", seen.Received.GroupBy(m => m.Type).Select(g => $"{g.Key} {g.Count()}"))
            + string.Concat(seen.Received.Where(m => m.Type is "Error" or "Warning").Select(m => $"; {m.Type}: {m.Message.GetProperty("description").GetString()}")));
        var first = run.Digits.Where(d => d.FirstMs is not null).Select(d => d.FirstMs!.Value).Order().ToList();
        var final = run.Digits.Where(d => d.FinalMs is not null).Select(d => d.FinalMs!.Value).Order().ToList();
        var ending = run.Digits.Where(d => d.EndsUtterance && d.FinalMs is not null).Select(d => d.FinalMs!.Value).Order().ToList();
        var finalTarget = endpointing + FinalMarginMs;
        Console.WriteLine();
        Console.WriteLine("latency from the end of a spoken digit (capture) to the page (ms)   digits     p50     p95     max   target (p95)");
        Line("first appearance (interim or final)", first, $"≤ {FirstTargetMs:F0}", Percentile(first, 95) <= FirstTargetMs);
        Line("final, digits that end an utterance", ending, $"≤ {finalTarget:F0} (endpointing {endpointing} + {FinalMarginMs:F0})", Percentile(ending, 95) <= finalTarget);
        Line("final, every digit (waits for its utterance)", final, "-", null);
    }

    private static void PrintPerString(LatencyRun run, IReadOnlyList<DigitString> spoken)
    {
        Console.WriteLine();
        Console.WriteLine("per string: digits, first appearance of each digit (ms), final of each digit (ms); * ends an utterance");
        foreach (var group in run.Digits.GroupBy(d => d.String))
        {
            Console.WriteLine($"  {group.Key,3} {spoken[group.Key].Digits,-6} first {string.Join(" ", group.Select(d => $"{d.FirstMs,5:F0}"))}"
                + $"   final {string.Join(" ", group.Select(d => $"{d.FinalMs,5:F0}{(d.EndsUtterance ? "*" : " ")}"))}");
        }
    }

    private static void Line(string name, List<double> sorted, string target, bool? met) =>
        Console.WriteLine($"{name,-66} {sorted.Count,6} {Percentile(sorted, 50),7:F0} {Percentile(sorted, 95),7:F0} {sorted.LastOrDefault(double.NaN),7:F0}   {target}"
            + (met is null ? "" : met.Value ? "  met" : "  MISSED"));

    /// <summary>The server's own per-word histograms (from the arrival of the packet that completed a word to the send).</summary>
    private static void PrintServerHistograms(string metrics)
    {
        Console.WriteLine();
        foreach (var (name, label) in new[] { ("webrtcasr_word_first_partial_latency_seconds", "first partial"), ("webrtcasr_word_final_latency_seconds", "final") })
        {
            var sum = Value(metrics, name + "_sum");
            var count = Value(metrics, name + "_count");
            Console.WriteLine($"server /metrics {name}: {count:F0} words, mean {(count > 0 ? sum / count * 1000 : double.NaN):F0} ms ({label}; server side only)");
        }
    }

    private static double Value(string metrics, string series)
    {
        foreach (var line in metrics.Split('\n'))
        {
            if (line.StartsWith(series + " ", StringComparison.Ordinal) || line.StartsWith(series + "{", StringComparison.Ordinal))
            {
                return double.Parse(line[(line.LastIndexOf(' ') + 1)..], CultureInfo.InvariantCulture);
            }
        }

        return double.NaN;
    }

    private static double Percentile(List<double> sorted, double p) =>
        sorted.Count == 0 ? double.NaN : sorted[Math.Clamp((int)Math.Ceiling(p / 100 * sorted.Count) - 1, 0, sorted.Count - 1)];

    private static string? Arg(string[] args, string name)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
    }
}
