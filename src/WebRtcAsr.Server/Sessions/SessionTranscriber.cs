using System.Runtime.CompilerServices;
using WebRtcAsr.Server.Metrics;
using WebRtcAsr.Speech.Captions;
using WebRtcAsr.Speech.Recognition;
using WebRtcAsr.Speech.Scheduling;
using WebRtcAsr.Speech.Vad;

namespace WebRtcAsr.Server.Sessions;

/// <summary>
/// A session's speech path: received 16 kHz audio → gate (VAD) → recognizer stream, decoded through the shared
/// scheduler → caption messages (interim and final Results, SpeechStarted, UtteranceEnd). Keeps two position maps
/// so that every time it reports is stream time: received positions → stream samples (the transport's jumps,
/// e.g. DTX pauses) and gated positions → received positions (the silences the gate skipped). A recognizer stream
/// is made on the first gated sample and replaced after each flush (Finalize, a VAD speech end), because a flush
/// closes its input. Owned by the session's worker.
/// </summary>
/// <remarks>
/// With <see cref="SessionSettings.EndpointingMs"/> set, that rule alone decides when an utterance ends: trailing
/// silence after the last decoded word of at least that long makes the final. The VAD only decides when audio starts
/// to reach the recognizer: when its gate closes on an utterance that has words, the received audio goes on to the
/// recognizer (the "tail") until the endpoint rule fires, so the rule's silence clock keeps running whatever the
/// VAD's minimum silence and hangover are, and the final comes neither later nor earlier than the rule says.
/// </remarks>
internal sealed class SessionTranscriber : IVoiceActivitySink, IDisposable
{
    private const int SampleRate = 16000;
    private static readonly float[] Silence = new float[1600];

    private readonly OnlineRecognizer recognizer;
    private readonly InferenceScheduler scheduler;
    private readonly ISpeechGate gate;
    private readonly ResultsFactory factory;
    private readonly ServerMetrics metrics;
    private readonly TimeProvider time;
    private readonly Action<CaptionMessage> emit;
    private readonly GatedTimeline receivedToStream = new(256);
    private readonly GatedTimeline gatedToReceived = new(256);
    private readonly ArrivalLog arrivals = new();
    private OnlineStream? stream;
    private long streamBase;
    private long streamSamples;
    private long receivedEnd;
    private string lastInterimText = "";
    private int wordsShown;
    private double? lastWordEnd;
    private bool utteranceEndPending;
    private bool speechEndPending;
    private bool hypothesisHasWords;
    private long fedUpTo;
    private bool feedingTail;
    private EndpointOptions? endpointRules;

    public SessionTranscriber(
        OnlineRecognizer recognizer,
        InferenceScheduler scheduler,
        ISpeechGate gate,
        ResultsFactory factory,
        ServerMetrics metrics,
        TimeProvider time,
        Action<CaptionMessage> emit)
    {
        this.recognizer = recognizer;
        this.scheduler = scheduler;
        this.gate = gate;
        this.factory = factory;
        this.metrics = metrics;
        this.time = time;
        this.emit = emit;
    }

    public SessionSettings Settings { get; set; } = new();

    /// <summary>Whether a recognizer stream is held now.</summary>
    public bool HasStream => stream is not null;

    /// <summary>Recognizer streams made so far.</summary>
    public int StreamsCreated { get; private set; }

    /// <summary>Samples received.</summary>
    public long SamplesReceived { get; private set; }

    /// <summary>Stream position just after the last received sample.</summary>
    public long ReceivedEnd => receivedEnd;

    /// <summary>Time spent waiting for decodes (for the real-time factor).</summary>
    public TimeSpan DecodeTime { get; private set; }

    /// <summary>Takes one block of received audio and decodes what is ready.</summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    public async ValueTask AcceptAsync(ReadOnlyMemory<float> samples, long streamSample, long arrivalTimestamp, CancellationToken cancellationToken)
    {
        if (samples.IsEmpty)
        {
            return;
        }

        streamSample = Math.Max(streamSample, receivedEnd); // the stream only moves forward
        var receivedStart = SamplesReceived; // the gate's position of this block's first sample
        receivedToStream.Append(streamSample, samples.Length);
        arrivals.Record(streamSample, samples.Length, arrivalTimestamp);
        receivedEnd = streamSample + samples.Length;
        SamplesReceived += samples.Length;
        metrics.AudioSamples.Add(samples.Length);
        gate.Process(samples.Span, this);
        if (feedingTail && !gate.IsOpen)
        {
            FeedTail(samples.Span, receivedStart);
        }

        await DecodeReadyAsync(cancellationToken).ConfigureAwait(false);
        if (speechEndPending && !gate.IsOpen)
        {
            speechEndPending = false;
            if (Settings.EndpointingMs > 0 && stream is not null && hypothesisHasWords)
            {
                // The endpointing rule, not the VAD's silence and hangover, ends an utterance that has words.
                feedingTail = true;
                FeedTail(samples.Span, receivedStart);
                await DecodeReadyAsync(cancellationToken).ConfigureAwait(false);
            }
            else if (Settings.EndpointingMs != 0 && stream is not null)
            {
                // No words yet, or no endpointing set (the VAD's speech end is the endpoint): flush what is left; a
                // word still in the encoder's lookahead comes out as the final.
                await FlushAsync(fromFinalize: false, speechFinal: true, cancellationToken).ConfigureAwait(false);
            }
        }

        CheckUtteranceEnd();
    }

    /// <summary>
    /// Decodes everything received (with the recognizer's tail padding, so the last word comes out) and sends it
    /// as a final Results; with <paramref name="fromFinalize"/> a final is sent even when it holds no words.
    /// </summary>
    public async ValueTask FlushAsync(bool fromFinalize, bool speechFinal, CancellationToken cancellationToken)
    {
        var s = stream;
        if (s is null || streamSamples == 0)
        {
            if (fromFinalize)
            {
                var empty = new RecognitionResult("", [], [], 0, 0, true);
                var end = receivedEnd / (double)SampleRate; // nothing to flush: the final is an empty span at "now"
                factory.Numerals = Settings.Numerals;
                emit(factory.Create(empty with { SegmentStart = end }, end, isFinal: true, speechFinal, fromFinalize));
            }

            return;
        }

        var padding = (long)recognizer.TailPaddingMs * SampleRate / 1000;
        while (padding > 0)
        {
            var n = (int)Math.Min(padding, Silence.Length);
            s.AcceptWaveform(Silence.AsSpan(0, n));
            padding -= n;
        }

        s.InputFinished();
        while (recognizer.IsReady(s))
        {
            if (!await DecodeOnceAsync(s, cancellationToken).ConfigureAwait(false))
            {
                break;
            }
        }

        var result = recognizer.GetResult(s);
        if (result.Words.Count > 0 || fromFinalize)
        {
            EmitResults(result, isFinal: true, speechFinal, fromFinalize);
        }

        ReleaseStream();
    }

    /// <summary>The stream ended: the gate ends open speech, and everything is flushed.</summary>
    public async ValueTask FinishAsync(CancellationToken cancellationToken)
    {
        gate.Finish(this);
        speechEndPending = false;
        await FlushAsync(fromFinalize: true, speechFinal: true, cancellationToken).ConfigureAwait(false);
    }

    public void OnSpeechStarted(SpeechBoundary start)
    {
        feedingTail = false; // the gate forwards again (from where the tail left off)
        if (Settings.VadEvents)
        {
            emit(new SpeechStartedMessage { Timestamp = Math.Round(ToStreamSecondsFromReceived(start.StreamSample), 3) });
        }
    }

    public void OnSpeechEnded(SpeechBoundary end) => speechEndPending = true;

    public void OnGatedAudio(ReadOnlySpan<float> samples, long streamSample)
    {
        // A gate that opens again after a tail forwards its pre-roll: what the tail already gave is not given twice.
        if (streamSample < fedUpTo)
        {
            var skip = fedUpTo - streamSample;
            if (skip >= samples.Length)
            {
                return;
            }

            samples = samples[(int)skip..];
            streamSample = fedUpTo;
        }

        if (stream is null)
        {
            stream = recognizer.CreateStream();
            StreamsCreated++;
            streamBase = gatedToReceived.GatedLength;
            streamSamples = 0;
        }

        gatedToReceived.Append(streamSample, samples.Length);
        stream.AcceptWaveform(samples);
        streamSamples += samples.Length;
        fedUpTo = streamSample + samples.Length;
        metrics.SpeechSamples.Add(samples.Length);
    }

    public void Dispose()
    {
        ReleaseStream();
        gate.Dispose();
    }

    private void ReleaseStream()
    {
        stream = null;
        feedingTail = false;
        streamSamples = 0;
        hypothesisHasWords = false;
        lastInterimText = "";
        wordsShown = 0;
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    private async ValueTask DecodeReadyAsync(CancellationToken cancellationToken)
    {
        while (stream is { } s && recognizer.IsReady(s))
        {
            if (!await DecodeOnceAsync(s, cancellationToken).ConfigureAwait(false))
            {
                return;
            }

            Evaluate(s);
        }
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<bool> DecodeOnceAsync(OnlineStream s, CancellationToken cancellationToken)
    {
        var started = time.GetTimestamp();
        var decoded = await scheduler.DecodeAsync(s, cancellationToken).ConfigureAwait(false);
        DecodeTime += time.GetElapsedTime(started);
        return decoded;
    }

    /// <summary>After each decoded chunk: an endpoint makes a final, a changed hypothesis an interim.</summary>
    private void Evaluate(OnlineStream s)
    {
        var result = recognizer.GetResult(s);
        if (IsEndpoint(s, result))
        {
            if (result.Words.Count > 0)
            {
                EmitResults(result, isFinal: true, speechFinal: true, fromFinalize: false);
            }

            recognizer.Reset(s);
            hypothesisHasWords = false;
            lastInterimText = "";
            wordsShown = 0;
            if (feedingTail)
            {
                ReleaseStream(); // the tail's utterance ended; the next speech gets a new stream
            }

            return;
        }

        hypothesisHasWords = result.Words.Count > 0;
        if (Settings.InterimResults && result.Words.Count > 0 && result.Text != lastInterimText)
        {
            lastInterimText = result.Text;
            EmitResults(result, isFinal: false, speechFinal: false, fromFinalize: false);
        }
    }

    /// <summary>
    /// Whether the segment ended. Without <see cref="SessionSettings.EndpointingMs"/>: the recognizer's own rules.
    /// With it: sherpa's rules with rule 2 (trailing silence after speech) at that many ms, silence counted from the
    /// end of the last decoded word, and rule 1 (a segment of silence only) never shorter; rule 3 (longest utterance) stays.
    /// </summary>
    private bool IsEndpoint(OnlineStream s, RecognitionResult result)
    {
        switch (Settings.EndpointingMs)
        {
            case 0:
                return false;
            case null:
                return recognizer.IsEndpoint(s);
            case int ms:
                // Silence counts from the end of the last word (its token's encoder frame), in 10 ms feature frames.
                var decoded = s.ProcessedFrames;
                var trailing = result.Words.Count == 0
                    ? decoded
                    : s.SegmentStartFrame + decoded - (int)Math.Round(result.Words[^1].End * 100);
                return EndpointDetector.FiredRule(EndpointRules(ms), decoded, Math.Clamp(trailing, 0, decoded)) != 0;
        }
    }

    private EndpointOptions EndpointRules(int ms)
    {
        if (endpointRules is not { } rules || rules.Rule2.MinTrailingSilenceMs != ms)
        {
            var defaults = recognizer.Options.Endpoint;
            rules = endpointRules = defaults with
            {
                Enabled = true,
                Rule1 = defaults.Rule1 with { MinTrailingSilenceMs = Math.Max(ms, defaults.Rule1.MinTrailingSilenceMs) },
                Rule2 = new EndpointRule(MustContainNonSilence: true, MinTrailingSilenceMs: ms, MinUtteranceLengthMs: 0),
            };
        }

        return rules;
    }

    /// <summary>The received audio the closed gate did not forward, from where the recognizer's input ends, to the recognizer.</summary>
    private void FeedTail(ReadOnlySpan<float> block, long blockStart)
    {
        var from = Math.Max(fedUpTo, blockStart);
        if (stream is not null && from < blockStart + block.Length)
        {
            OnGatedAudio(block[(int)(from - blockStart)..], from);
        }
    }

    private void EmitResults(RecognitionResult result, bool isFinal, bool speechFinal, bool fromFinalize)
    {
        var words = new RecognizedWord[result.Words.Count];
        var now = time.GetTimestamp();
        for (var i = 0; i < words.Length; i++)
        {
            var w = result.Words[i];
            var endSample = ToStreamSample(w.End);
            words[i] = w with { Start = ToStreamSeconds(w.Start), End = endSample / (double)SampleRate };
            if (arrivals.TryFind(Math.Max(0, endSample - 1), out var arrived))
            {
                var latency = time.GetElapsedTime(arrived, now).TotalSeconds;
                if (i >= wordsShown)
                {
                    metrics.FirstPartialLatency.Observe(latency);
                }

                if (isFinal)
                {
                    metrics.FinalLatency.Observe(latency);
                }
            }
        }

        wordsShown = isFinal ? 0 : Math.Max(wordsShown, words.Length);
        var mapped = result with { Words = words, SegmentStart = ToStreamSeconds(result.SegmentStart) };
        var decodedSamples = stream is null ? 0 : Math.Min(streamSamples, (long)(stream.SegmentStartFrame + stream.ProcessedFrames) * (SampleRate / 100));
        var decodedEnd = ToStreamSeconds(decodedSamples / (double)SampleRate);
        factory.Numerals = Settings.Numerals;
        emit(factory.Create(mapped, Math.Max(decodedEnd, words.Length > 0 ? words[^1].End : 0), isFinal, speechFinal, fromFinalize));
        if (words.Length > 0)
        {
            lastWordEnd = words[^1].End;
            utteranceEndPending = true;
        }
    }

    private void CheckUtteranceEnd()
    {
        // Only once the utterance's words are final: UtteranceEnd follows the final, as Deepgram's does.
        if (Settings.UtteranceEndMs > 0 && utteranceEndPending && !hypothesisHasWords && lastWordEnd is { } last
            && (receivedEnd / (double)SampleRate) - last >= Settings.UtteranceEndMs / 1000.0)
        {
            utteranceEndPending = false;
            emit(new UtteranceEndMessage { LastWordEnd = Math.Round(last, 3) });
        }
    }

    /// <summary>Recognizer-stream seconds → stream sample.</summary>
    private long ToStreamSample(double recognizerSeconds)
    {
        var gated = streamBase + (long)Math.Round(recognizerSeconds * SampleRate);
        gated = Math.Clamp(gated, 0, gatedToReceived.GatedLength);
        return receivedToStream.ToStreamSample(gatedToReceived.ToStreamSample(gated));
    }

    private double ToStreamSeconds(double recognizerSeconds) => ToStreamSample(recognizerSeconds) / (double)SampleRate;

    private double ToStreamSecondsFromReceived(long receivedPosition) => receivedToStream.ToStreamSample(receivedPosition) / (double)SampleRate;
}
