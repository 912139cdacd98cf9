using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using WebRtcAsr.Server.Health;
using WebRtcAsr.Server.Metrics;
using WebRtcAsr.Server.Sessions;
using WebRtcAsr.Speech.Captions;
using WebRtcAsr.Speech.Models;
using WebRtcAsr.Speech.Onnx;
using WebRtcAsr.Speech.Recognition;
using WebRtcAsr.Speech.Scheduling;
using WebRtcAsr.Speech.Transducer;
using WebRtcAsr.Speech.Vad;

namespace WebRtcAsr.Server.Configuration;

/// <summary>
/// The process's shared speech machinery, made once from the options: the transducer model and its recognizer
/// (warmed up), the inference scheduler that batches every session's chunks, and the VAD gate factory.
/// </summary>
public sealed class SpeechEngine : IAsyncDisposable
{
    private SpeechEngine(OnlineRecognizer recognizer, InferenceScheduler scheduler, ISpeechGateFactory gates, ModelInfo model)
    {
        Recognizer = recognizer;
        Scheduler = scheduler;
        Gates = gates;
        Model = model;
    }

    public OnlineRecognizer Recognizer { get; }

    public InferenceScheduler Scheduler { get; }

    public ISpeechGateFactory Gates { get; }

    public ModelInfo Model { get; }

    /// <summary>Loads and warms up everything; marks the readiness components as it goes.</summary>
    public static SpeechEngine Load(ServerOptions options, ReadinessRegistry readiness, ServerMetrics metrics, ILoggerFactory loggers)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(readiness);
        var logger = loggers.CreateLogger<SpeechEngine>();
        var dir = options.ModelDir ?? DefaultModel.Resolve();
        ExecutionProviders.TryParse(options.ExecutionProvider, out var provider);
        var session = new OnnxSessionOptions { IntraOpThreads = options.Threads, Provider = provider };
        var recognizer = OnlineRecognizer.Load(
            TransducerModelPaths.FromDirectory(dir),
            new OnlineRecognizerOptions { MaxBatchSize = options.Limits.MaxBatchSize },
            session,
            loggers.CreateLogger<OnlineRecognizer>());
        readiness.MarkReady(ReadinessComponents.Model);
        recognizer.WarmUp();
        readiness.MarkReady(ReadinessComponents.Recognizer);
        var scheduler = new InferenceScheduler(
            recognizer,
            new InferenceSchedulerOptions { QueueCapacity = options.Limits.InferenceQueue, MaxBatchSize = options.Limits.MaxBatchSize },
            loggers.CreateLogger<InferenceScheduler>());
        metrics?.Observe(scheduler);
        ISpeechGateFactory gates = options.Vad.Enabled
            ? new VadSpeechGateFactory(SileroVadModel.Load(options.Vad.ModelPath, logger: logger))
            : new PassThroughGate();
        var model = new ModelInfo
        {
            Name = Path.GetFileName(Path.TrimEndingDirectorySeparator(Path.GetFullPath(dir))),
            Arch = recognizer.Model.ModelType.ToString(),
            Version = "1",
        };
        logger.LogInformation("Model {Model} ({Arch}, {Provider}) loaded from {Dir}; VAD {Vad}", model.Name, model.Arch, recognizer.Model.ExecutionProvider, dir, options.Vad.Enabled ? "on" : "off");
        return new SpeechEngine(recognizer, scheduler, gates, model);
    }

    public async ValueTask DisposeAsync()
    {
        await Scheduler.DisposeAsync().ConfigureAwait(false);
        (Gates as IDisposable)?.Dispose();
        Recognizer.Dispose();
    }
}
