using WebRtcAsr.Server.Metrics;
using WebRtcAsr.Server.Sessions;
using WebRtcAsr.Speech.Captions;
using WebRtcAsr.Server.Tests.Support;
using Xunit.Abstractions;
using WebRtcAsr.TestSupport;

namespace WebRtcAsr.Server.Tests.Sessions;

/// <summary>
/// When a final comes, in stream time: a session's speech path is fed held-out digit strings (3 s of lead silence,
/// as a browser page that connects before anyone speaks, then strings 2 s apart) in 20 ms blocks, and each message
/// is stamped with the stream position of the block whose processing sent it. Configure's <c>endpointing</c> must
/// decide: the final of a string comes once that much silence has followed its last decoded word, and no later than
/// endpointing + 150 ms after the end of the last spoken digit, with the VAD gating audio or without it.
/// </summary>
public sealed class EndpointingLatencyTests(DigitSpeechFixture speech, ITestOutputHelper output) : IClassFixture<DigitSpeechFixture>
{
    private const int SampleRate = 16000;
    private const int Block = 320;
    private const double MarginSeconds = 0.150;

    [Theory]
    [InlineData(false, 300)]
    [InlineData(true, 300)]
    [InlineData(false, 600)]
    [InlineData(true, 600)]
    [InlineData(true, 1000)]
    public async Task The_final_comes_endpointing_ms_after_the_last_word(bool vad, int endpointingMs)
    {
        var (audio, starts, lastEnds) = Script(leadSeconds: 3, gapSeconds: 2);
        var stamped = await TranscribeAsync(audio, vad, new SessionSettings { EndpointingMs = endpointingMs });
        foreach (var (m, at) in stamped)
        {
            output.WriteLine($"{at:F3} {Describe(m)}");
        }

        var endpointing = endpointingMs / 1000.0;
        var finals = stamped.Where(m => m.Message is ResultsMessage { IsFinal: true, SpeechFinal: true, FromFinalize: false })
            .Select(m => (Result: (ResultsMessage)m.Message, m.At))
            .Where(f => f.Result.Channel.Alternatives[0].Words.Count > 0)
            .ToList();
        output.WriteLine("finals: " + string.Join(" | ", finals.Select(f => Digits(f.Result))));
        if (vad)
        {
            // Each string in a fresh recognizer stream, as chosen: exactly right. (Without the VAD one stream runs
            // through the silences, and the model alone, on that stream, drops a digit or two.)
            Assert.Equal(string.Concat(speech.Strings.Select(s => s.Digits)), string.Concat(finals.Select(f => Digits(f.Result))));
        }

        // Every final waits for the configured silence after its last decoded word ...
        Assert.All(finals, f => Assert.True(
            f.At >= f.Result.Channel.Alternatives[0].Words[^1].End + endpointing - 0.002,
            $"a final at {f.At:F3} s came before {endpointingMs} ms of silence after its last word ({f.Result.Channel.Alternatives[0].Words[^1].End:F3} s)"));

        // ... and the final that ends each string comes within endpointing + 150 ms of the end of its last spoken digit.
        for (var i = 0; i < starts.Length; i++)
        {
            var next = i + 1 < starts.Length ? starts[i + 1] : double.MaxValue;
            var (result, at) = finals.Last(f => f.Result.Channel.Alternatives[0].Words[^1].End < next);
            output.WriteLine($"string {i}: last digit ends {lastEnds[i]:F3} s; its final at {at:F3} s, {1000 * (at - lastEnds[i]):F0} ms after it");
            Assert.InRange(at, lastEnds[i], lastEnds[i] + endpointing + MarginSeconds);
            Assert.EndsWith(speech.Strings[i].Digits[^1..], Digits(result), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Speech_that_resumes_before_the_endpointing_silence_stays_in_the_utterance()
    {
        // 0.9 s between two strings: the VAD ends speech and closes its gate, but 1.5 s of endpointing has not passed
        // when the second string starts, so both are one utterance, in stream time. The recognizer got every sample
        // once (the lead is within the gate's pre-roll, the gap went on as the tail and the second start's pre-roll is
        // not given twice), so the final is what the recognizer alone makes of the whole audio.
        var first = speech.Strings[0];
        var second = speech.Strings[1];
        var lead = SampleRate / 5;
        var gap = (int)(0.9 * SampleRate);
        var audio = new float[lead + first.Samples.Length + gap + second.Samples.Length + (3 * SampleRate)];
        first.Samples.CopyTo(audio, lead);
        second.Samples.CopyTo(audio, lead + first.Samples.Length + gap);
        var stamped = await TranscribeAsync(audio, vad: true, new SessionSettings { EndpointingMs = 1500 });
        foreach (var (m, at) in stamped)
        {
            output.WriteLine($"{at:F3} {Describe(m)}");
        }

        var final = (ResultsMessage)Assert.Single(stamped, m => m.Message is ResultsMessage { IsFinal: true, FromFinalize: false }).Message;
        Assert.True(final.SpeechFinal);
        var alone = speech.Recognizer.CreateStream();
        alone.AcceptWaveform(audio);
        Assert.Equal(speech.Recognizer.Finalize(alone).Transcript, final.Channel.Alternatives[0].Transcript);
        Assert.StartsWith(first.Digits, Digits(final), StringComparison.Ordinal);
        Assert.EndsWith(second.Digits[^1..], Digits(final), StringComparison.Ordinal);
        var words = final.Channel.Alternatives[0].Words;
        Assert.True(words.Zip(words.Skip(1)).All(p => p.First.End <= p.Second.Start + 1e-9));
        var secondEnd = ((lead + first.Samples.Length + gap) / (double)SampleRate) + second.DigitEnds[^1];
        Assert.InRange(words[^1].End, secondEnd - 0.5, secondEnd + 0.2);
    }

    private static string Digits(ResultsMessage r) => DigitErrorRate.DigitsOf(string.Join(' ', r.Channel.Alternatives[0].Words.Select(w => w.Word)));


    private static string Describe(CaptionMessage m) => m switch
    {
        ResultsMessage r => $"Results final={r.IsFinal} speech_final={r.SpeechFinal} from_finalize={r.FromFinalize} [{r.Start:F3}+{r.Duration:F3}] {r.Transcript()}",
        _ => m.GetType().Name,
    };

    /// <summary>Lead silence, then each string followed by a gap; where each string starts and its last digit ends (s).</summary>
    private (float[] Audio, double[] Starts, double[] LastEnds) Script(double leadSeconds, double gapSeconds)
    {
        var samples = new List<float>(new float[(int)(leadSeconds * SampleRate)]);
        var starts = new List<double>();
        var ends = new List<double>();
        foreach (var s in speech.Strings)
        {
            starts.Add(samples.Count / (double)SampleRate);
            ends.Add((samples.Count / (double)SampleRate) + s.DigitEnds[^1]);
            samples.AddRange(s.Samples);
            samples.AddRange(new float[(int)(gapSeconds * SampleRate)]);
        }

        return ([.. samples], [.. starts], [.. ends]);
    }

    /// <summary>Every message the speech path sends, with the stream time (s) just after the block that made it.</summary>
    private async Task<List<(CaptionMessage Message, double At)>> TranscribeAsync(float[] audio, bool vad, SessionSettings settings)
    {
        var stamped = new List<(CaptionMessage, double)>();
        SessionTranscriber? transcriber = null;
        transcriber = new SessionTranscriber(
            speech.Recognizer,
            speech.Scheduler,
            speech.Gate(vad),
            new ResultsFactory(DigitSpeechFixture.Model, "test"),
            new ServerMetrics(),
            TimeProvider.System,
            m => stamped.Add((m, transcriber!.ReceivedEnd / (double)SampleRate)))
        {
            Settings = settings,
        };
        using (transcriber)
        {
            for (var at = 0; at < audio.Length; at += Block)
            {
                var n = Math.Min(Block, audio.Length - at);
                await transcriber.AcceptAsync(audio.AsMemory(at, n), at, 0, CancellationToken.None);
            }

            await transcriber.FinishAsync(CancellationToken.None);
        }

        return stamped;
    }
}
