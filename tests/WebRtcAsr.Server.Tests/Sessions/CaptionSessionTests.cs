using System.Text;
using WebRtcAsr.Server.Sessions;
using WebRtcAsr.Server.Tests.Support;
using WebRtcAsr.Speech.Captions;

namespace WebRtcAsr.Server.Tests.Sessions;

[Collection(SpeechCollection.Name)]
public sealed class CaptionSessionTests(SpeechFixture speech)
{
    private static readonly SessionSettings NoEndpointing = new() { EndpointingMs = 0 };

    [Fact]
    public async Task Interim_results_come_before_the_final_of_an_utterance()
    {
        var session = Open(speech.Services(vad: true));
        var sink = new RecordingSink();
        await session.AttachAsync(sink);
        await SpeechAudio.FeedAsync(session, SpeechAudio.WithSilence(SpeechAudio.Load(), 1.5));

        var final = (ResultsMessage)await sink.WaitForAsync(m => m is ResultsMessage { IsFinal: true, SpeechFinal: true, FromFinalize: false });
        Assert.NotEmpty(final.Channel.Alternatives[0].Words);
        var interims = sink.Messages.OfType<ResultsMessage>().Where(r => !r.IsFinal).ToList();
        Assert.NotEmpty(interims);
        Assert.True(interims[0].Seq < final.Seq);
        Assert.All(interims, r => Assert.NotEmpty(r.Transcript()));

        Assert.Equal(SessionEndReason.ClientClosed, await session.CloseAsync(SessionEndReason.ClientClosed));
        Captions.AssertCompleteSequence(sink.Messages, session.Id);
    }

    [Fact]
    public async Task Finalize_right_after_the_last_word_yields_every_word()
    {
        var audio = SpeechAudio.Load("digits-60221-nicolas.wav");
        var expected = Offline(audio);
        Assert.NotEmpty(expected);

        var session = Open(speech.Services(vad: false), NoEndpointing);
        var sink = new RecordingSink();
        await session.AttachAsync(sink);
        await SpeechAudio.FeedAsync(session, audio);
        Assert.True(session.TryWriteControl("{\"type\":\"Finalize\"}"u8));

        var flushed = (ResultsMessage)await sink.WaitForAsync(m => m is ResultsMessage { FromFinalize: true });
        Assert.True(flushed.IsFinal);
        Assert.Equal(expected, sink.Messages.FinalText());

        // The session goes on after a Finalize: more audio makes more results.
        await SpeechAudio.FeedAsync(session, audio, start: audio.Length);
        Assert.True(session.TryWriteControl("{\"type\":\"Finalize\"}"u8));
        await sink.WaitForAsync(m => m is ResultsMessage { FromFinalize: true } && m.Seq > flushed.Seq);
        Assert.Equal(expected + " " + expected, sink.Messages.FinalText());
        Assert.Equal(2, session.StreamsCreated);
        await session.CloseAsync(SessionEndReason.ClientClosed);
        Captions.AssertCompleteSequence(sink.Messages, session.Id);
    }

    [Fact]
    public async Task A_long_block_is_split_into_queue_items_not_cut()
    {
        var audio = SpeechAudio.Load("digits-95-lucas.wav");
        var session = Open(speech.Services(vad: false), NoEndpointing);
        var sink = new RecordingSink();
        await session.AttachAsync(sink);
        Assert.True(session.TryWriteAudio(audio, 0));
        Assert.True(session.TryWriteControl("{\"type\":\"CloseStream\"}"u8));
        await session.Completion;
        Assert.Equal(Offline(audio), sink.Messages.FinalText());
        Assert.Equal(audio.Length / 16000.0, Assert.IsType<MetadataMessage>(sink.Messages[^1]).Duration, 3);
    }

    [Fact]
    public async Task CloseStream_sends_the_last_final_then_Metadata_and_ends()
    {
        var audio = SpeechAudio.Load("digits-95-lucas.wav");
        var session = Open(speech.Services(vad: false), NoEndpointing);
        var sink = new RecordingSink();
        await session.AttachAsync(sink);
        await SpeechAudio.FeedAsync(session, audio);
        Assert.True(session.TryWriteControl("{\"type\":\"CloseStream\"}"u8));

        Assert.Equal(SessionEndReason.ClientClosed, await session.Completion);
        var messages = sink.Messages;
        var metadata = Assert.IsType<MetadataMessage>(messages[^1]);
        Assert.Equal(audio.Length / 16000.0, metadata.Duration, 3);
        Assert.Equal(session.Id, metadata.RequestId);
        var last = Assert.IsType<ResultsMessage>(messages[^2]);
        Assert.True(last.IsFinal && last.FromFinalize);
        Assert.Equal(Offline(audio), messages.FinalText());
        Captions.AssertCompleteSequence(messages, session.Id);
        Assert.False(session.TryWriteAudio(audio.AsSpan(0, 320), audio.Length));
    }

    [Fact]
    public async Task Audio_before_the_sink_attaches_is_delivered_on_attach_in_order()
    {
        var audio = SpeechAudio.Load("digits-2718-george.wav");
        var session = Open(speech.Services(vad: false), NoEndpointing);
        await SpeechAudio.FeedAsync(session, audio);
        Assert.True(session.TryWriteControl("{\"type\":\"Finalize\"}"u8));

        var reference = new RecordingSink();
        var late = new RecordingSink();
        await session.AttachAsync(late);
        await late.WaitForAsync(m => m is ResultsMessage { FromFinalize: true });
        Assert.Contains(late.Messages, m => m is ResultsMessage { IsFinal: false });
        Assert.Equal(Offline(audio), late.Messages.FinalText());
        Captions.AssertCompleteSequence(late.Messages, session.Id);
        await session.CloseAsync(SessionEndReason.TransportClosed);
    }

    [Fact]
    public async Task A_reconnect_with_the_last_seq_resumes_without_duplicates_or_gaps()
    {
        var audio = SpeechAudio.Load("digits-4242424-jackson.wav");
        var half = audio.Length / 2 / SpeechAudio.BlockSamples * SpeechAudio.BlockSamples;
        var session = Open(speech.Services(vad: false), NoEndpointing);

        // The first connection takes three messages, then breaks; the client saw only the first two of them
        // (the third was lost in flight), so it resumes after seq 2.
        var first = new RecordingSink(acceptAtMost: 3);
        await session.AttachAsync(first);
        await SpeechAudio.FeedAsync(session, audio.AsMemory(0, half));
        Assert.True(session.TryWriteControl("{\"type\":\"Finalize\"}"u8));
        await first.WaitForAsync(m => m.Seq == 3);
        var seen = first.Messages.Take(2).ToList();

        await SpeechAudio.FeedAsync(session, audio.AsMemory(half), start: half);
        var second = new RecordingSink();
        await session.AttachAsync(second, lastSeqReceived: seen[^1].Seq);
        Assert.True(session.TryWriteControl("{\"type\":\"CloseStream\"}"u8));
        await session.Completion;

        var all = seen.Concat(second.Messages).ToList();
        Captions.AssertCompleteSequence(all, session.Id);
        Assert.IsType<MetadataMessage>(all[^1]);
        Assert.Equal(2, all.Finals().Count());
    }

    [Fact]
    public async Task Bad_client_messages_get_an_Error_and_the_session_goes_on()
    {
        var audio = SpeechAudio.Load("digits-8-yweweler.wav");
        var session = Open(speech.Services(vad: false), NoEndpointing);
        var sink = new RecordingSink();
        await session.AttachAsync(sink);
        Assert.True(session.TryWriteControl("not json"u8));
        Assert.True(session.TryWriteControl("{\"type\":\"Shout\"}"u8));
        Assert.True(session.TryWriteControl("{\"type\":\"Configure\",\"utterance_end_ms\":5}"u8));
        Assert.True(session.TryWriteControl("{\"type\":\"Configure\",\"model\":\"nova-3\"}"u8));
        Assert.True(session.TryWriteControl(Encoding.UTF8.GetBytes(new string(' ', 100_000))));
        await SpeechAudio.FeedAsync(session, audio);
        Assert.True(session.TryWriteControl("{\"type\":\"Finalize\"}"u8));
        await sink.WaitForAsync(m => m is ResultsMessage { FromFinalize: true });

        var errors = sink.Messages.OfType<ErrorMessage>().ToList();
        Assert.Equal(5, errors.Count);
        Assert.All(errors, e => Assert.Equal("bad_request", e.Code));
        Assert.Contains("unknown message type \"Shout\"", errors[1].Description, StringComparison.Ordinal);
        Assert.Contains("utterance_end_ms", errors[2].Description, StringComparison.Ordinal);
        Assert.Contains("nova-3", errors[3].Description, StringComparison.Ordinal);
        Assert.Equal("message is 100000 bytes; control messages are at most 4096", errors[4].Description);
        Assert.Equal(Offline(audio), sink.Messages.FinalText());
        await session.CloseAsync(SessionEndReason.ClientClosed);
        Captions.AssertCompleteSequence(sink.Messages, session.Id);
    }

    [Fact]
    public async Task Configure_turns_interim_results_off_and_vad_events_on()
    {
        var session = Open(speech.Services(vad: true));
        var sink = new RecordingSink();
        await session.AttachAsync(sink);
        Assert.True(session.TryWriteControl("{\"type\":\"Configure\",\"interim_results\":false,\"vad_events\":true,\"utterance_end_ms\":1000}"u8));
        await SpeechAudio.FeedAsync(session, SpeechAudio.WithSilence(SpeechAudio.Load(), 2));
        await sink.WaitForAsync(m => m is UtteranceEndMessage);
        await session.CloseAsync(SessionEndReason.ClientClosed);

        var messages = sink.Messages;
        Assert.DoesNotContain(messages, m => m is ResultsMessage { IsFinal: false });
        var started = messages.OfType<SpeechStartedMessage>().First();
        var firstFinal = messages.Finals().First();
        Assert.True(started.Seq < firstFinal.Seq);
        Assert.InRange(started.Timestamp, 0.0, 0.5); // the recording's speech starts after 0.3 s of silence
        var end = messages.OfType<UtteranceEndMessage>().Single();
        Assert.True(end.Seq > firstFinal.Seq);
        Assert.Equal(firstFinal.Channel.Alternatives[0].Words[^1].End, end.LastWordEnd, 3);
    }

    [Fact]
    public async Task Endpointing_ms_ends_utterances_on_trailing_silence_without_a_VAD()
    {
        var session = Open(speech.Services(vad: false));
        var sink = new RecordingSink();
        await session.AttachAsync(sink);
        Assert.True(session.TryWriteControl("{\"type\":\"Configure\",\"endpointing\":400}"u8));
        var audio = SpeechAudio.WithSilence(SpeechAudio.Load("digits-95-lucas.wav"), 1);
        await SpeechAudio.FeedAsync(session, audio);
        var final = (ResultsMessage)await sink.WaitForAsync(m => m is ResultsMessage { IsFinal: true });
        Assert.True(final.SpeechFinal);
        Assert.False(final.FromFinalize);
        var lastWord = final.Channel.Alternatives[0].Words[^1];
        // Silence counts from the last word's end; the rule is checked after each decoded chunk (under 160 ms here).
        Assert.InRange(final.Start + final.Duration - lastWord.End, 0.4 - 0.001, 0.4 + 0.16);
        await session.CloseAsync(SessionEndReason.ClientClosed);
    }

    [Fact]
    public async Task Word_times_are_stream_times_across_transport_gaps_and_gated_silence()
    {
        // The stream starts at 5 s (audio before was never received), then 2 s of silence the gate skips, then speech.
        var speechAudio = SpeechAudio.Load();
        var audio = new float[(2 * 16000) + speechAudio.Length];
        speechAudio.CopyTo(audio, 2 * 16000);
        var session = Open(speech.Services(vad: true), NoEndpointing);
        var sink = new RecordingSink();
        await session.AttachAsync(sink);
        await SpeechAudio.FeedAsync(session, audio, start: 5 * 16000);
        Assert.True(session.TryWriteControl("{\"type\":\"CloseStream\"}"u8));
        await session.Completion;

        var words = sink.Messages.Finals().SelectMany(r => r.Channel.Alternatives[0].Words).ToList();
        Assert.NotEmpty(words);
        var speechStart = 7.3 - 0.35; // the recording's own 0.3 s lead-in, less the VAD's pre-roll and pad
        var streamEnd = 7.0 + (speechAudio.Length / 16000.0);
        Assert.All(words, w => Assert.InRange(w.Start, speechStart, streamEnd));
        Assert.All(words, w => Assert.InRange(w.End, w.Start, streamEnd));
        Assert.True(words.Zip(words.Skip(1)).All(p => p.First.Start <= p.Second.Start));
    }

    [Fact]
    public async Task An_ended_session_frees_its_stream_and_leaves_the_registry()
    {
        var metrics = new WebRtcAsr.Server.Metrics.ServerMetrics();
        var registry = new SessionRegistry(speech.Services(vad: true, metrics: metrics), new SessionRegistryOptions());
        var session = registry.TryCreate("k", null, out var refusal);
        Assert.Equal(SessionRefusal.None, refusal);
        Assert.NotNull(session);
        Assert.Same(session, registry.Find(session.Id));
        Assert.Same(session, registry.FindForKey(session.Id, "k"));
        Assert.Null(registry.FindForKey(session.Id, "another-key"));
        Assert.Null(registry.FindForKey(session.Id, null));
        await SpeechAudio.FeedAsync(session, SpeechAudio.Load());
        await session.CloseAsync(SessionEndReason.TransportClosed);

        Assert.Equal(0, registry.Count);
        Assert.Null(registry.Find(session.Id));
        Assert.False(session.HoldsStream);
        Assert.Equal(0, session.QueuedInputs);
        Assert.Equal(0, session.PendingMessages);
        Assert.Equal(0, metrics.SessionsActive.Value);
        Assert.Equal(1, metrics.SessionsEnded.ValueOf(nameof(SessionEndReason.TransportClosed)));
    }

    private static CaptionSession Open(SessionServices services, SessionSettings? settings = null) =>
        new(Guid.NewGuid().ToString("D"), "test-key", services, new SessionLimits(), settings ?? new SessionSettings());

    /// <summary>What the recognizer makes of the whole recording in one stream, finalized (tail padding included).</summary>
    private string Offline(float[] audio)
    {
        var stream = speech.Recognizer.CreateStream();
        for (var at = 0; at < audio.Length; at += SpeechAudio.BlockSamples)
        {
            stream.AcceptWaveform(audio.AsSpan(at, Math.Min(SpeechAudio.BlockSamples, audio.Length - at)));
        }

        return speech.Recognizer.Finalize(stream).Transcript;
    }
}
