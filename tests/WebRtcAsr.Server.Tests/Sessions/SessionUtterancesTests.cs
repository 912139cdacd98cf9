using WebRtcAsr.Server.Sessions;
using WebRtcAsr.Server.Tests.Support;
using WebRtcAsr.Speech.Captions;
using WebRtcAsr.TestSupport;

namespace WebRtcAsr.Server.Tests.Sessions;

/// <summary>
/// One session, several utterances apart, with the server's default settings: every utterance after the first is
/// recognized as well as the first (each starts a new recognizer stream at the VAD's pre-roll).
/// </summary>
public sealed class SessionUtterancesTests(DigitSpeechFixture speech) : IClassFixture<DigitSpeechFixture>
{
    private const int SampleRate = 16000;

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Each_string_of_a_session_is_heard_as_spoken(bool vad)
    {
        var audio = new List<float>(new float[SampleRate * 5 / 2]);
        foreach (var said in speech.Strings)
        {
            audio.AddRange(said.Samples);
            audio.AddRange(new float[SampleRate * 5]);
        }

        var registry = new SessionRegistry(speech.Services(vad), new SessionRegistryOptions());
        var session = registry.TryCreate("browser", null, out _)!;
        var sink = new RecordingSink();
        await session.AttachAsync(sink);
        var samples = audio.Count / SpeechAudio.BlockSamples * SpeechAudio.BlockSamples;
        await SpeechAudio.FeedAsync(session, audio.ToArray().AsMemory(0, samples));
        Assert.True(session.TryWriteControl("{\"type\":\"CloseStream\"}"u8));
        await session.Completion;

        var finals = sink.Messages.Finals().Select(r => r.Channel.Alternatives[0].Transcript).Where(t => t.Length > 0).ToList();
        Assert.Equal(speech.Strings.Select(s => s.Digits), finals.Select(DigitErrorRate.DigitsOf));
    }
}
