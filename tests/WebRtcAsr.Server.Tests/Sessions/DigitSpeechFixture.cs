using WebRtcAsr.Server.Tests.Support;
using WebRtcAsr.Speech.Captions;
using WebRtcAsr.TestSupport;

namespace WebRtcAsr.Server.Tests.Sessions;

/// <summary>
/// The trained digit model (its words are real, so a string's last word and its end are known), its scheduler, the
/// Silero VAD, and a few held-out FSDD digit strings it recognizes exactly, each trimmed to its speech so the last
/// digit's end is where its speech ends (as in the latency benchmark).
/// </summary>
public sealed class DigitSpeechFixture() : SpeechFixture(RepoPaths.Model("digits-en-lstm"), Model)
{
    /// <summary>Recognizable strings at 16 kHz.</summary>
    public IReadOnlyList<DigitString> Strings { get; private set; } = [];

    /// <summary>The same strings at 8 kHz, as recorded (a phone call's rate).</summary>
    public IReadOnlyList<DigitString> Narrowband { get; private set; } = [];

    public static new ModelInfo Model { get; } = new() { Name = "digits-en-lstm", Arch = "lstm", Version = "" };

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        var candidates = SpokenDigitStrings.Compose(Fsdd.Recordings(RepoPaths.FsddRecordings()), r => r.IsTest, count: 12, seed: 7);
        var chosen = RecognizableDigitStrings.Choose(Recognizer, candidates, count: 3);
        Assert.Equal(3, chosen.Count);
        Narrowband = chosen;
        Strings = [.. chosen.Select(s => DigitStrings.Resample(s, 16000))];
    }
}
