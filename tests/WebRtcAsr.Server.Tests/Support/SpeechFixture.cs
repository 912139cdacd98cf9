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
/// A derived fixture takes another model (<see cref="Sessions.DigitSpeechFixture"/>: the trained digit model).
/// </summary>
public class SpeechFixture : IAsyncLifetime
{
    private readonly string _modelDir;
    private readonly ModelInfo _model;

    public SpeechFixture()
        : this(RepoPaths.Model(Path.Combine("fixtures", "lstm")), Model)
    {
    }

    protected SpeechFixture(string modelDir, ModelInfo model)
    {
        _modelDir = modelDir;
        _model = model;
    }

    public OnlineRecognizer Recognizer { get; private set; } = null!;

    public InferenceScheduler Scheduler { get; private set; } = null!;

    public SileroVadModel Vad { get; private set; } = null!;

    public static ModelInfo Model { get; } = new() { Name = "lstm", Arch = "Lstm", Version = "1" };

    public virtual Task InitializeAsync()
    {
        Recognizer = OnlineRecognizer.Load(TransducerModelPaths.FromDirectory(_modelDir));
        Recognizer.WarmUp();
        Scheduler = new InferenceScheduler(Recognizer);
        Vad = SileroVadModel.Load();
        return Task.CompletedTask;
    }

    public virtual async Task DisposeAsync()
    {
        await Scheduler.DisposeAsync();
        Recognizer.Dispose();
        Vad.Dispose();
    }

    internal SessionServices Services(bool vad, TimeProvider? time = null, ServerMetrics? metrics = null, ITranscriptArchive? archive = null) => new(
        Recognizer,
        Scheduler,
        Gates(vad),
        _model,
        metrics ?? new ServerMetrics(),
        archive,
        time ?? TimeProvider.System,
        NullLoggerFactory.Instance);

    /// <summary>A session's speech gate: Silero over the fixture's model, or none.</summary>
    internal ISpeechGate Gate(bool vad) => Gates(vad).Create();

    private ISpeechGateFactory Gates(bool vad) => vad ? new SharedVadGates(Vad) : new PassThroughGate();

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
