using WebRtcAsr.Server.Metrics;
using WebRtcAsr.Server.Sessions;
using WebRtcAsr.Speech.Captions;
using WebRtcAsr.Speech.Recognition;
using WebRtcAsr.Speech.Scheduling;
using WebRtcAsr.Speech.Transducer;
using WebRtcAsr.Speech.Vad;
using WebRtcAsr.TestSupport;

namespace WebRtcAsr.Server.Tests.Sessions;

/// <summary>
/// The trained digit model (its words are real, so a string's last word and its end are known), its scheduler, the
/// Silero VAD, and a few held-out FSDD digit strings it recognizes exactly, each trimmed to its speech so the last
/// digit's end is where its speech ends (as in the latency benchmark).
/// </summary>
public sealed class DigitSpeechFixture : IAsyncLifetime
{
    public OnlineRecognizer Recognizer { get; private set; } = null!;

    public InferenceScheduler Scheduler { get; private set; } = null!;

    public SileroVadModel Vad { get; private set; } = null!;

    /// <summary>Recognizable strings at 16 kHz.</summary>
    public IReadOnlyList<DigitString> Strings { get; private set; } = [];

    /// <summary>The same strings at 8 kHz, as recorded (a phone call's rate).</summary>
    public IReadOnlyList<DigitString> Narrowband { get; private set; } = [];

    public static ModelInfo Model { get; } = new() { Name = "digits-en-lstm", Arch = "lstm", Version = "" };

    public Task InitializeAsync()
    {
        Recognizer = OnlineRecognizer.Load(TransducerModelPaths.FromDirectory(RepoPaths.Model("digits-en-lstm")));
        Scheduler = new InferenceScheduler(Recognizer);
        Vad = SileroVadModel.Load();
        var candidates = SpokenDigitStrings.Compose(Fsdd.Recordings(RepoPaths.FsddRecordings()), r => r.IsTest, count: 12, seed: 7);
        var chosen = RecognizableDigitStrings.Choose(Recognizer, candidates, count: 3);
        Assert.Equal(3, chosen.Count);
        Narrowband = chosen;
        Strings = [.. chosen.Select(s => DigitStrings.Resample(s, 16000))];
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await Scheduler.DisposeAsync();
        Recognizer.Dispose();
        Vad.Dispose();
    }

    internal ISpeechGate Gate(bool vad) => vad ? new VadSpeechGate(new VoiceActivityDetector(Vad)) : new PassThroughGate();

    internal SessionServices Services(bool vad) => new(
        Recognizer,
        Scheduler,
        vad ? new SharedGates(this) : new PassThroughGate(),
        Model,
        new ServerMetrics(),
        null,
        TimeProvider.System,
        Microsoft.Extensions.Logging.Abstractions.NullLoggerFactory.Instance);

    private sealed class SharedGates(DigitSpeechFixture fixture) : ISpeechGateFactory
    {
        public ISpeechGate Create() => fixture.Gate(vad: true);
    }
}
