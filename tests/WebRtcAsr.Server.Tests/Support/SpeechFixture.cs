using Microsoft.Extensions.Logging.Abstractions;
using WebRtcAsr.Server.Archive;
using WebRtcAsr.Server.Metrics;
using WebRtcAsr.Server.Sessions;
using WebRtcAsr.Speech.Captions;
using WebRtcAsr.Speech.Recognition;
using WebRtcAsr.Speech.Scheduling;
using WebRtcAsr.Speech.Transducer;
using WebRtcAsr.Speech.Vad;
using WebRtcAsr.TestSupport;

namespace WebRtcAsr.Server.Tests.Support;

/// <summary>
/// One recognizer on the LSTM fixture model (untrained, so its words are gibberish, but deterministic and
/// emitted in bursts while someone speaks), its scheduler and the Silero VAD model, shared by the session tests.
/// </summary>
public sealed class SpeechFixture : IAsyncLifetime
{
    public OnlineRecognizer Recognizer { get; private set; } = null!;

    public InferenceScheduler Scheduler { get; private set; } = null!;

    public SileroVadModel Vad { get; private set; } = null!;

    public static ModelInfo Model { get; } = new() { Name = "lstm", Arch = "Lstm", Version = "1" };

    public Task InitializeAsync()
    {
        Recognizer = OnlineRecognizer.Load(TransducerModelPaths.FromDirectory(RepoPaths.Model(Path.Combine("fixtures", "lstm"))));
        Recognizer.WarmUp();
        Scheduler = new InferenceScheduler(Recognizer);
        Vad = SileroVadModel.Load();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await Scheduler.DisposeAsync();
        Recognizer.Dispose();
        Vad.Dispose();
    }

    internal SessionServices Services(bool vad, TimeProvider? time = null, ServerMetrics? metrics = null, ITranscriptArchive? archive = null) => new(
        Recognizer,
        Scheduler,
        vad ? new SharedVadGates(Vad) : new PassThroughGate(),
        Model,
        metrics ?? new ServerMetrics(),
        archive,
        time ?? TimeProvider.System,
        NullLoggerFactory.Instance);

    /// <summary>VAD gates over the fixture's model, which the fixture (not the factory) owns.</summary>
    private sealed class SharedVadGates(SileroVadModel model) : ISpeechGateFactory
    {
        public ISpeechGate Create() => new VadSpeechGate(new VoiceActivityDetector(model));
    }
}

[CollectionDefinition(Name)]
public sealed class SpeechCollection : ICollectionFixture<SpeechFixture>
{
    public const string Name = "speech";
}
