using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using WebRtcAsr.Media.Audio;
using WebRtcAsr.Speech.Onnx;
using WebRtcAsr.Speech.Recognition;
using WebRtcAsr.Speech.Transducer;
using WebRtcAsr.TestSupport;

namespace WebRtcAsr.Benchmarks.Speech;

/// <summary>
/// N concurrent streams through our recognizer and through sherpa-onnx (the reference, run by
/// tests/reference/sherpa-ref.js) on the same model, audio, chunking and thread count, in the same run:
/// real-time factor, real-time streams per core, their ratio, chunk latency and managed allocations per chunk.
/// Both feed every stream one 20 ms chunk per round as fast as possible and decode all ready streams in one
/// batched call, until every stream is done.
/// Usage: recognizer [--model DIR] [--streams 1,4,16,64] [--decoding greedy|beam] [--repeat R]
/// </summary>
[BenchmarkSuite("recognizer", "our recognizer vs sherpa-onnx: N concurrent streams, RTF, latency, allocations")]
internal static class RecognizerThroughputSuite
{
    private const int ChunkMs = 20;
    private const double TailSeconds = 0.66;
    private static readonly TimeSpan WarmUpTime = TimeSpan.FromSeconds(2);

    public static int Run(string[] args)
    {
        // Absolute, because sherpa-ref.js resolves the model files against the directory it is given.
        var modelDir = Path.GetFullPath(Arg(args, "--model") ?? RepoPaths.Model(Path.Combine("fixtures", "zipformer2")));
        var counts = (Arg(args, "--streams") ?? "1,4,16,64").Split(',').Select(s => int.Parse(s, CultureInfo.InvariantCulture)).ToArray();
        var beam = Arg(args, "--decoding") == "beam";
        var repeat = int.Parse(Arg(args, "--repeat") ?? "4", CultureInfo.InvariantCulture);
        var wavs = Directory.GetFiles(Path.Combine(RepoPaths.Root, "tests", "WebRtcAsr.Speech.Tests", "Reference", "audio"), "*.wav").Order(StringComparer.Ordinal).ToArray();
        var paths = TransducerModelPaths.FromDirectory(modelDir);

        using var model = TransducerModel.Load(paths, new OnnxSessionOptions { IntraOpThreads = 1 });
        Console.WriteLine($"model {modelDir} ({model.ModelType}), {(beam ? "modified beam search (4)" : "greedy search")}, "
            + $"1 thread each, {ChunkMs} ms chunks, {wavs.Length} utterances x {repeat} per stream, {Environment.ProcessorCount} cores");
        Console.WriteLine($"ONNX Runtime: ours {OnnxEnvironment.Shared.RuntimeVersion} (C API {OnnxEnvironment.Shared.ApiVersion}), sherpa-onnx its own (set {OnnxRuntimeLibrary.PathVariable} to run ours on that library)");
        Console.WriteLine();
        Console.WriteLine("streams |  ours RTF  sherpa RTF  speed-up | ours streams/core  sherpa | ours chunk p50/p95 ms | sherpa p50/p95 ms | ours alloc B/chunk");
        foreach (var n in counts)
        {
            var ours = RunOurs(model, wavs, n, repeat, beam);
            var sherpa = RunSherpa(paths, wavs, n, repeat, beam);
            var sherpaRtf = sherpa["rtf"]!.GetValue<double>();
            Console.WriteLine(
                $"{n,7} | {ours.Rtf,9:F5} {sherpaRtf,11:F5} {sherpaRtf / ours.Rtf,8:F2}x | {1 / ours.Rtf,17:F1} {1 / sherpaRtf,7:F1} | "
                + $"{ours.P50,9:F2} / {ours.P95,-9:F2} | {sherpa["roundMs"]!["p50"]!.GetValue<double>(),7:F2} / {sherpa["roundMs"]!["p95"]!.GetValue<double>(),-7:F2} | {ours.AllocPerChunk,10:F1}");
        }

        Console.WriteLine();
        Console.WriteLine("RTF = wall time / audio seconds of all streams (lower is better); speed-up = sherpa RTF / ours;");
        Console.WriteLine("chunk latency = time to decode one 20 ms chunk of every stream (one round); allocations counted on the measured pass, after warm-up passes.");
        Console.WriteLine("Each pass uses fresh streams: their token lists grow (doubling) once a segment passes 64 tokens, which is what the");
        Console.WriteLine("allocation column shows with --repeat > 1 (endpointing is off); decoding a stream's later segments allocates nothing.");
        Console.WriteLine("sherpa-ref has no warm-up: its first call (ONNX Runtime's first run, ~10 ms) is in its time; a larger --repeat dilutes it.");
        return 0;
    }

    private sealed record Result(double Rtf, double P50, double P95, double AllocPerChunk);

    private static Result RunOurs(TransducerModel model, string[] wavs, int count, int repeat, bool beam)
    {
        using var recognizer = new OnlineRecognizer(model, new OnlineRecognizerOptions
        {
            DecodingMethod = beam ? DecodingMethod.ModifiedBeamSearch : DecodingMethod.GreedySearch,
            MaxBatchSize = Math.Max(1, count),
            Endpoint = new EndpointOptions { Enabled = false },
        });
        var audio = wavs.Select(w => Repeat(WavFile.Read(w).ToMono(), repeat)).ToArray();

        // Warm-up, as a long-running server is warm: the buffers of every batch size are made now, and passes run
        // for a while, then a pause lets tiered compilation finish promoting the hot methods to optimised code
        // (sherpa-onnx is compiled ahead of time; without this, a short pass measures .NET's tier-0 code).
        recognizer.WarmUp();
        var warm = Stopwatch.StartNew();
        do
        {
            Feed(recognizer, audio, count);
        }
        while (warm.Elapsed < WarmUpTime);

        Thread.Sleep(500);
        return Feed(recognizer, audio, count);
    }

    private static Result Feed(OnlineRecognizer recognizer, float[][] audio, int count)
    {
        var streams = Enumerable.Range(0, count).Select(_ => recognizer.CreateStream()).ToArray();
        var fed = new int[count];
        var done = new bool[count];
        var chunk = 16000 * ChunkMs / 1000;
        var tail = new float[(int)(16000 * TailSeconds)];
        var ready = new OnlineStream[count];
        var rounds = new List<double>();
        long allocated = 0;
        var chunks = 0L;
        var audioSeconds = audio.Select((a, i) => a.Length / 16000.0).ToArray();
        var total = Enumerable.Range(0, count).Sum(i => audioSeconds[i % audio.Length]);
        var clock = Stopwatch.StartNew();
        for (var round = 0; done.Contains(false); round++)
        {
            for (var i = 0; i < count; i++)
            {
                if (done[i])
                {
                    continue;
                }

                var samples = audio[i % audio.Length];
                var n = Math.Min(chunk, samples.Length - fed[i]);
                streams[i].AcceptWaveform(samples.AsSpan(fed[i], n));
                fed[i] += n;
                if (fed[i] >= samples.Length)
                {
                    streams[i].AcceptWaveform(tail);
                    streams[i].InputFinished();
                    done[i] = true;
                }
            }

            var started = clock.Elapsed;
            var before = GC.GetAllocatedBytesForCurrentThread();
            for (; ;)
            {
                var k = 0;
                foreach (var s in streams)
                {
                    if (recognizer.IsReady(s))
                    {
                        ready[k++] = s;
                    }
                }

                if (k == 0)
                {
                    break;
                }

                recognizer.DecodeStreams(ready.AsSpan(0, k));
                chunks += k;
            }

            allocated += GC.GetAllocatedBytesForCurrentThread() - before;

            rounds.Add((clock.Elapsed - started).TotalMilliseconds);
        }

        var wall = clock.Elapsed.TotalSeconds;
        rounds.Sort();
        return new Result(wall / total, Percentile(rounds, 50), Percentile(rounds, 95), chunks == 0 ? 0 : allocated / (double)chunks);
    }

    private static JsonNode RunSherpa(TransducerModelPaths paths, string[] wavs, int count, int repeat, bool beam)
    {
        var request = new JsonObject
        {
            ["mode"] = "bench",
            ["model"] = new JsonObject
            {
                ["dir"] = Path.GetDirectoryName(paths.Encoder),
                ["encoder"] = paths.Encoder,
                ["decoder"] = paths.Decoder,
                ["joiner"] = paths.Joiner,
                ["tokens"] = paths.Tokens,
                ["type"] = "",
            },
            ["decodingMethod"] = beam ? "modified_beam_search" : "greedy_search",
            ["maxActivePaths"] = 4,
            ["numThreads"] = 1,
            ["wavs"] = new JsonArray(wavs.Select(w => (JsonNode)w).ToArray()),
            ["streams"] = count,
            ["chunkMs"] = ChunkMs,
            ["repeat"] = repeat,
            ["tailPaddingSeconds"] = TailSeconds,
        };
        var script = Path.Combine(RepoPaths.Root, "tests", "reference", "sherpa-ref.js");
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("WEBRTCASR_NODE") ?? "node", [script])
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(start) ?? throw new InvalidOperationException("cannot start node (run ./test.sh once: it bootstraps Node and sherpa-onnx)");
        process.StandardInput.Write(request.ToJsonString());
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEnd();
        var stderr = process.StandardError.ReadToEnd();
        process.WaitForExit();
        var response = JsonNode.Parse(stdout) ?? throw new InvalidOperationException("sherpa-ref printed nothing: " + stderr);
        return response["error"] is { } error ? throw new InvalidOperationException("sherpa-ref failed: " + error) : response;
    }

    private static float[] Repeat(float[] samples, int times)
    {
        var output = new float[samples.Length * times];
        for (var i = 0; i < times; i++)
        {
            samples.CopyTo(output, i * samples.Length);
        }

        return output;
    }

    private static double Percentile(List<double> sorted, double p) =>
        sorted.Count == 0 ? 0 : sorted[Math.Clamp((int)Math.Ceiling(p / 100 * sorted.Count) - 1, 0, sorted.Count - 1)];

    private static string? Arg(string[] args, string name)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
    }
}
