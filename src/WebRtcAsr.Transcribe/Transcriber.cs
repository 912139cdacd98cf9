using System.Diagnostics;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using WebRtcAsr.Media.Audio;
using WebRtcAsr.Media.Resampling;
using WebRtcAsr.Speech.Captions;
using WebRtcAsr.Speech.Onnx;
using WebRtcAsr.Speech.Recognition;
using WebRtcAsr.Speech.Transducer;

namespace WebRtcAsr.Transcribe;

/// <summary>
/// Streams one WAV file through the recognizer in chunks and writes caption messages as JSON lines:
/// interim Results as the hypothesis changes, a final Results at each endpoint and at the end, then a
/// summary line with the real-time factor and per-chunk latency.
/// </summary>
internal sealed class Transcriber(TranscribeOptions options, TextWriter output, ILogger logger)
{
    private const int SampleRate = 16000;

    public int Run(CancellationToken cancellationToken)
    {
        var audio = WavFile.Read(options.WavPath);
        var mono = audio.ToMono();
        logger.LogInformation(
            "{File}: {Seconds:F2} s, {Rate} Hz, {Channels} channel(s)", options.WavPath, audio.DurationSeconds, audio.SampleRate, audio.Channels);

        var modelDirectory = options.ModelDirectory ?? Speech.Models.DefaultModel.Resolve();
        var sessionOptions = new OnnxSessionOptions
        {
            IntraOpThreads = options.Threads,
            Provider = options.Provider switch
            {
                "cuda" => ExecutionProviderKind.Cuda,
                "auto" => ExecutionProviderKind.Auto,
                _ => ExecutionProviderKind.Cpu,
            },
        };
        using var model = TransducerModel.Load(TransducerModelPaths.FromDirectory(modelDirectory), sessionOptions, logger);
        using var recognizer = new OnlineRecognizer(model, new OnlineRecognizerOptions
        {
            DecodingMethod = options.Decoding,
            Beam = options.Beam,
            Endpoint = new EndpointOptions
            {
                Enabled = options.Endpointing,
                Rule1 = new EndpointRule(false, options.EndpointSilenceNoSpeechMs, 0),
                Rule2 = new EndpointRule(true, options.EndpointSilenceMs, 0),
                Rule3 = new EndpointRule(false, 0, options.MaxUtteranceMs),
            },
        });
        logger.LogInformation(
            "model {Model} ({Type}), {Decoding}, chunk {Chunk} ms, {Provider}",
            modelDirectory, model.ModelType, options.Decoding, options.ChunkMs, model.ExecutionProvider);

        var requestId = Guid.NewGuid().ToString();
        var stamper = new CaptionStamper(requestId);
        var results = new ResultsFactory(new ModelInfo { Name = Path.GetFileName(Path.TrimEndingDirectorySeparator(modelDirectory)), Arch = model.ModelType.ToString().ToLowerInvariant() }, requestId)
        {
            Numerals = options.Numerals,
        };
        var stream = recognizer.CreateStream();
        var resampler = new Resampler(audio.SampleRate, SampleRate);
        var chunkIn = Math.Max(1, audio.SampleRate * options.ChunkMs / 1000);
        var buffer = new float[resampler.MaxOutputLength(chunkIn) + resampler.MaxFlushLength];
        var skip = resampler.LatencySamples; // the filter's delay: drop it so stream times match the file
        var latencies = new LatencyStats();
        var lastInterim = "";
        var clock = Stopwatch.StartNew();
        var busy = TimeSpan.Zero;

        void Emit(CaptionMessage message) => output.WriteLine(CaptionJson.Serialize(stamper.Stamp(message)));

        double DecodedSeconds() => (stream.SegmentStartFrame + stream.ProcessedFrames) / 100.0;

        void Feed(ReadOnlySpan<float> samples)
        {
            var drop = Math.Min(skip, samples.Length);
            skip -= drop;
            stream.AcceptWaveform(samples[drop..]);
        }

        void DecodeAndReport()
        {
            recognizer.DecodeAvailable(stream);
            if (recognizer.IsEndpoint(stream))
            {
                var result = recognizer.GetResult(stream);
                if (result.Transcript.Length > 0)
                {
                    Emit(results.Create(result, DecodedSeconds(), isFinal: true, speechFinal: true, fromFinalize: false));
                }

                recognizer.Reset(stream);
                lastInterim = "";
                return;
            }

            var interim = recognizer.GetResult(stream);
            if (options.InterimResults && interim.Transcript != lastInterim)
            {
                lastInterim = interim.Transcript;
                Emit(results.Create(interim, DecodedSeconds(), isFinal: false, speechFinal: false, fromFinalize: false));
            }
        }

        for (var offset = 0; offset < mono.Length; offset += chunkIn)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (options.Realtime)
            {
                // Feed each chunk when it would have been spoken.
                var due = TimeSpan.FromSeconds((offset + chunkIn) / (double)audio.SampleRate) - clock.Elapsed;
                if (due > TimeSpan.Zero)
                {
                    Thread.Sleep(due);
                }
            }

            var started = clock.Elapsed;
            var n = Math.Min(chunkIn, mono.Length - offset);
            Feed(buffer.AsSpan(0, resampler.Process(mono.AsSpan(offset, n), buffer)));
            DecodeAndReport();
            var spent = clock.Elapsed - started;
            busy += spent;
            latencies.Add(spent.TotalMilliseconds);
        }

        var tailStarted = clock.Elapsed;
        Feed(buffer.AsSpan(0, resampler.Flush(buffer)));
        var final = recognizer.Finalize(stream);
        if (final.Transcript.Length > 0)
        {
            Emit(results.Create(final, DecodedSeconds(), isFinal: true, speechFinal: true, fromFinalize: true));
        }

        busy += clock.Elapsed - tailStarted;
        WriteSummary(audio.DurationSeconds, busy.TotalSeconds, clock.Elapsed.TotalSeconds, latencies, requestId);
        return 0;
    }

    private void WriteSummary(double audioSeconds, double busySeconds, double wallSeconds, LatencyStats latencies, string requestId)
    {
        var summary = new Dictionary<string, object>
        {
            ["type"] = "Summary",
            ["session_id"] = requestId,
            ["audio_seconds"] = Math.Round(audioSeconds, 3),
            ["processing_seconds"] = Math.Round(busySeconds, 3),
            ["wall_seconds"] = Math.Round(wallSeconds, 3),
            ["real_time_factor"] = audioSeconds > 0 ? Math.Round(busySeconds / audioSeconds, 5) : 0,
            ["chunks"] = latencies.Count,
            ["chunk_latency_ms"] = new Dictionary<string, double>
            {
                ["p50"] = Math.Round(latencies.Percentile(50), 3),
                ["p95"] = Math.Round(latencies.Percentile(95), 3),
                ["max"] = Math.Round(latencies.Max, 3),
            },
        };
        output.WriteLine(JsonSerializer.Serialize(summary));
    }
}
