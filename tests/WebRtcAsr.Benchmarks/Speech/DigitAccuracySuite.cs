using System.Diagnostics;
using System.Globalization;
using WebRtcAsr.Speech.Models;
using WebRtcAsr.Speech.Onnx;
using WebRtcAsr.Speech.Recognition;
using WebRtcAsr.Speech.Transducer;
using WebRtcAsr.TestSupport;

namespace WebRtcAsr.Benchmarks.Speech;

/// <summary>
/// The digit model's measured results, as its model card reports them: digit error rate on the held-out
/// FSDD recordings per speaker and channel (clean 16 kHz, G.711 mu-law at 8 kHz, Opus 24 kbit/s), through the
/// streaming path in 20 ms chunks (every channel), the real-time factor on one core, and the delay from the end of each digit
/// to its first appearance in a partial result.
/// Usage: digits [--model DIR] [--strings N] [--seed S] [--method greedy|beam]
/// </summary>
[BenchmarkSuite("digits", "digit error rate, real-time factor and partial-result delay of a digit model")]
internal static class DigitAccuracySuite
{
    public static int Run(string[] args)
    {
        var model = Arg(args, "--model") ?? DefaultModel.Resolve();
        var perSpeaker = int.Parse(Arg(args, "--strings") ?? "40", CultureInfo.InvariantCulture);
        var seed = int.Parse(Arg(args, "--seed") ?? "2026", CultureInfo.InvariantCulture);
        var method = (Arg(args, "--method") ?? "greedy") switch
        {
            "greedy" => DecodingMethod.GreedySearch,
            "beam" => DecodingMethod.ModifiedBeamSearch,
            var other => throw new ArgumentException($"--method must be greedy or beam, not '{other}'"),
        };

        var recordings = Fsdd.Recordings(RepoPaths.FsddRecordings());
        var strings = DigitStrings.Compose(recordings, r => r.IsTest, perSpeaker, seed);
        Console.WriteLine($"model {model} ({method}); {strings.Count} held-out strings ({perSpeaker} per speaker, seed {seed}), "
            + $"{strings.Sum(s => s.Digits.Length)} digits, {strings.Sum(s => s.DurationSeconds) / 60:F1} min of audio");

        using var transducer = TransducerModel.Load(TransducerModelPaths.FromDirectory(model), new OnnxSessionOptions { IntraOpThreads = 1 });
        using var recognizer = new OnlineRecognizer(transducer, new OnlineRecognizerOptions { DecodingMethod = method });

        var rows = new List<(string Channel, string Speaker, DigitErrorRate Rate)>();
        var delays = new List<double>();
        var audioSeconds = 0.0;
        var busySeconds = 0.0;
        // Every channel goes through the streaming path as the server runs it: 20 ms chunks, endpoints checked
        // after each chunk. Real-time factor and delays are taken on the clean channel.
        foreach (var channel in Channels.Names)
        {
            var byChannel = new Dictionary<string, DigitErrorRate>(StringComparer.Ordinal);
            foreach (var source in strings)
            {
                var streaming = channel == "clean16k";
                var audio = Channels.Apply(channel, source);
                var result = DigitRecognition.Run(recognizer, audio, 320);
                if (!byChannel.TryGetValue(source.Speaker, out var rate))
                {
                    byChannel[source.Speaker] = rate = new DigitErrorRate();
                }

                rate.Add(source.Digits, result.Digits);
                if (streaming)
                {
                    audioSeconds += audio.DurationSeconds;
                    busySeconds += result.ProcessingSeconds;
                    for (var i = 0; i < source.Digits.Length; i++)
                    {
                        if (result.FirstSeen[i] is { } seen)
                        {
                            delays.Add(seen - source.DigitEnds[i]);
                        }
                    }
                }
            }

            rows.AddRange(byChannel.Select(kv => (channel, kv.Key, kv.Value)));
        }

        PrintTable(rows);
        delays.Sort();
        Console.WriteLine();
        Console.WriteLine($"real-time factor, one core, streaming in 20 ms chunks: {busySeconds / audioSeconds:F4} "
            + $"({audioSeconds:F0} s of audio in {busySeconds:F1} s)");
        Console.WriteLine($"delay from the end of a digit to its first appearance in a partial result (stream time, {delays.Count} digits): "
            + $"p50 {Percentile(delays, 50) * 1000:F0} ms, p95 {Percentile(delays, 95) * 1000:F0} ms, max {delays.LastOrDefault() * 1000:F0} ms");
        return 0;
    }

    private static void PrintTable(List<(string Channel, string Speaker, DigitErrorRate Rate)> rows)
    {
        var speakers = rows.Select(r => r.Speaker).Distinct().Order(StringComparer.Ordinal).ToList();
        Console.WriteLine();
        Console.WriteLine("digit error rate (%)  " + string.Join("", speakers.Select(s => $"{s,10}")) + "       all   strings wrong");
        foreach (var channel in rows.Select(r => r.Channel).Distinct())
        {
            var line = $"{channel,-20} ";
            var total = new DigitErrorRate();
            var wrong = 0;
            var count = 0;
            foreach (var speaker in speakers)
            {
                var rate = rows.First(r => r.Channel == channel && r.Speaker == speaker).Rate;
                line += $"{rate.Rate * 100,10:F2}";
                wrong += rate.StringsWrong;
                count += rate.Strings;
                total.Merge(rate);
            }

            Console.WriteLine(line + $"{total.Rate * 100,10:F2}   {wrong}/{count}");
        }
    }

    private static double Percentile(List<double> sorted, double p) =>
        sorted.Count == 0 ? double.NaN : sorted[Math.Clamp((int)Math.Ceiling(p / 100 * sorted.Count) - 1, 0, sorted.Count - 1)];

    private static string? Arg(string[] args, string name)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
    }
}
