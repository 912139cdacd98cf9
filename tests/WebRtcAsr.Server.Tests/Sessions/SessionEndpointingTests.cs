using WebRtcAsr.Server.Sessions;
using WebRtcAsr.Server.Tests.Support;
using WebRtcAsr.Speech.Captions;
using WebRtcAsr.TestSupport;

namespace WebRtcAsr.Server.Tests.Sessions;

/// <summary>
/// Endpointing through whole sessions, as transports drive them: a browser session that sends Configure, and a phone
/// call's session (μ-law audio, no control messages, the server's default settings), both with the VAD gating audio.
/// Where a final stands in stream time is read from the order of messages: audio is fed up to a point, then a
/// Finalize; a speech_final final sent before the Finalize's own final was decided within the audio fed.
/// </summary>
public sealed class SessionEndpointingTests(DigitSpeechFixture speech) : IClassFixture<DigitSpeechFixture>
{
    private const int SampleRate = 16000;
    private const int EndpointingMs = 1500;

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task The_final_comes_after_endpointing_ms_not_at_the_VAD_speech_end(bool phone)
    {
        var said = phone ? DigitStrings.Resample(Channels.MuLawRoundTrip(speech.Narrowband[0]), SampleRate) : speech.Strings[0];
        var lead = SampleRate / 2;
        var audio = new float[lead + said.Samples.Length + (3 * SampleRate)];
        said.Samples.CopyTo(audio, lead);
        var lastEnd = (lead / (double)SampleRate) + said.DigitEnds[^1];
        var endpointing = EndpointingMs / 1000.0;

        // Long after the VAD's speech end (≈ 0.7 s) but before the configured silence: no speech_final yet (the model
        // may show the last word up to a few hundred ms before its sound ends; 0.5 s covers that).
        var early = await FinalsAsync(phone, audio, lastEnd + endpointing - 0.5);
        Assert.DoesNotContain(early.BeforeFinalize, r => r.SpeechFinal);
        Assert.Equal(said.Digits, early.Text);

        // Within endpointing + 150 ms of the last digit's end: the utterance's final came, all of it.
        var late = await FinalsAsync(phone, audio, lastEnd + endpointing + 0.150);
        var final = Assert.Single(late.BeforeFinalize);
        Assert.True(final.SpeechFinal);
        Assert.Equal(said.Digits, late.Text);
        Assert.Empty(late.Flushed.Channel.Alternatives[0].Words);
    }

    /// <summary>Feeds the audio up to <paramref name="until"/> seconds, then Finalize: the finals before the flush, the flush, and the finals' digits.</summary>
    private async Task<(List<ResultsMessage> BeforeFinalize, ResultsMessage Flushed, string Text)> FinalsAsync(bool phone, float[] audio, double until)
    {
        var defaults = phone ? new SessionSettings { EndpointingMs = EndpointingMs } : new SessionSettings();
        var registry = new SessionRegistry(speech.Services(vad: true), new SessionRegistryOptions { DefaultSettings = defaults });
        var session = registry.TryCreate(phone ? "sip" : "browser", null, out var refusal);
        Assert.Equal(SessionRefusal.None, refusal);
        Assert.NotNull(session);
        var sink = new RecordingSink();
        await session.AttachAsync(sink);
        if (!phone)
        {
            Assert.True(session.TryWriteControl(System.Text.Encoding.UTF8.GetBytes($"{{\"type\":\"Configure\",\"endpointing\":{EndpointingMs}}}")));
        }

        var samples = (int)Math.Ceiling(until * SampleRate / SpeechAudio.BlockSamples) * SpeechAudio.BlockSamples;
        await SpeechAudio.FeedAsync(session, audio.AsMemory(0, samples));
        Assert.True(session.TryWriteControl("{\"type\":\"Finalize\"}"u8));
        var flushed = (ResultsMessage)await sink.WaitForAsync(m => m is ResultsMessage { FromFinalize: true });
        await session.CloseAsync(SessionEndReason.ClientClosed);

        var finals = sink.Messages.Finals().Where(r => r.Seq <= flushed.Seq).ToList();
        var text = DigitErrorRate.DigitsOf(string.Join(' ', finals.SelectMany(r => r.Channel.Alternatives[0].Words).Select(w => w.Word)));
        return ([.. finals.Where(r => r.Seq < flushed.Seq && !r.FromFinalize)], flushed, text);
    }
}
