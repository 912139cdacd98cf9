using System.Diagnostics;
using System.Globalization;
using WebRtcAsr.Speech.Vad;

namespace WebRtcAsr.Benchmarks.Speech;

/// <summary>
/// Cost of voice activity detection for one stream: Silero VAD v5 per 32 ms window (the model run
/// alone), and the whole detector (model, segmenter, gate) fed 20 ms frames; time per window and
/// managed bytes allocated per window after warm-up. Options: --windows N (default 5000),
/// --model PATH (default: found as the server finds it).
/// </summary>
[BenchmarkSuite("vad", "Silero VAD v5: µs and allocations per 32 ms window, model alone and whole detector")]
public static class VadBenchmarks
{
    private const int Window = SileroVadModel.WindowSamples;

    public static int Run(string[] args)
    {
        int windows = 5000;
        string? modelPath = null;
        for (int i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--windows" when i + 1 < args.Length && int.TryParse(args[i + 1], CultureInfo.InvariantCulture, out int n) && n > 0:
                    windows = n;
                    i++;
                    break;
                case "--model" when i + 1 < args.Length:
                    modelPath = args[++i];
                    break;
                default:
                    Console.Error.WriteLine($"vad: unknown option '{args[i]}' (options: --windows N, --model PATH)");
                    return 2;
            }
        }

        using SileroVadModel model = SileroVadModel.Load(modelPath);
        float[] audio = SyntheticSpeech(windows * Window);
        Console.WriteLine($"Silero VAD v5 ({model.ModelPath}), one stream, one thread, {windows} windows of 32 ms");
        Console.WriteLine($"{"what",-40} {"µs/window mean",14} {"p50",8} {"p99",8} {"x real time",12} {"bytes/window",13}");

        using (SileroVad vad = model.CreateStream())
        {
            Report("SileroVad.Process (model run)", windows, w => vad.Process(audio.AsSpan((w % windows) * Window, Window)));
        }

        using (var detector = new VoiceActivityDetector(model))
        {
            var sink = new NullSink();
            const int Frame = 320;   // 20 ms packets: 8 windows every 5 packets
            int frames = windows * Window / Frame;
            long decided = 0;
            Report("VoiceActivityDetector (20 ms frames)", windows, w =>
            {
                // One window's worth of frames per step (the window completes inside one of them).
                long target = ((long)w + 1) * Window;
                while (decided < target)
                {
                    int at = (int)(decided % ((long)frames * Frame));
                    detector.Process(audio.AsSpan(at, Frame), sink);
                    decided += Frame;
                }
            });
            Console.WriteLine($"  (detector: {sink.Starts} speech starts, {sink.Forwarded / 16000.0:F1} s forwarded of {decided / 16000.0:F1} s; history {detector.HistoryCapacitySamples} samples)");
        }
        return 0;
    }

    private static void Report(string what, int windows, Action<int> step)
    {
        for (int w = 0; w < Math.Min(windows, 200); w++) step(w);   // warm-up

        var ticks = new long[windows];
        long allocatedBefore = GC.GetAllocatedBytesForCurrentThread();
        long started = Stopwatch.GetTimestamp();
        for (int w = 0; w < windows; w++)
        {
            long t0 = Stopwatch.GetTimestamp();
            step(w);
            ticks[w] = Stopwatch.GetTimestamp() - t0;
        }
        double totalUs = Stopwatch.GetElapsedTime(started).TotalMicroseconds;
        long allocated = GC.GetAllocatedBytesForCurrentThread() - allocatedBefore;

        Array.Sort(ticks);
        double ToUs(long t) => t * 1e6 / Stopwatch.Frequency;
        double mean = totalUs / windows;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{what,-40} {mean,14:F1} {ToUs(ticks[windows / 2]),8:F1} {ToUs(ticks[(int)(windows * 0.99)]),8:F1} {32000 / mean,12:F0} {allocated / (double)windows,13:F2}"));
    }

    /// <summary>Voiced bursts (a 120 Hz harmonic series, syllable-rate envelope) between pauses, over faint noise.</summary>
    private static float[] SyntheticSpeech(int length)
    {
        var audio = new float[length];
        var random = new Random(7);
        for (int i = 0; i < length; i++)
        {
            double t = i / 16000.0;
            double phrase = (t % 3.0) < 1.8 ? 1 : 0;                           // 1.8 s talk, 1.2 s pause
            double syllable = Math.Max(0, Math.Sin(2 * Math.PI * 4 * t));      // 4 syllables a second
            double voice = 0;
            for (int h = 1; h <= 20; h++) voice += Math.Sin(2 * Math.PI * 120 * h * t) / h;
            audio[i] = (float)((0.1 * phrase * syllable * voice) + (0.001 * ((random.NextDouble() * 2) - 1)));
        }
        return audio;
    }

    private sealed class NullSink : IVoiceActivitySink
    {
        public int Starts { get; private set; }

        public long Forwarded { get; private set; }

        public void OnSpeechStarted(SpeechBoundary start) => Starts++;

        public void OnSpeechEnded(SpeechBoundary end)
        {
        }

        public void OnGatedAudio(ReadOnlySpan<float> samples, long streamSample) => Forwarded += samples.Length;
    }
}
