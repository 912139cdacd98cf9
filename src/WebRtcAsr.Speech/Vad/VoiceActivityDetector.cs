namespace WebRtcAsr.Speech.Vad;

/// <summary>
/// Voice activity detection and gating for one stream of 16 kHz mono audio: Silero VAD on 512-sample
/// windows, <see cref="SpeechSegmenter"/>'s start/end rules, and a gate that forwards to the
/// recognizer only speech, a pre-roll before it and a hangover after it. Takes frames of any length;
/// the decisions and the forwarded audio do not depend on how the stream is cut into frames.
/// Sans-IO and single-owner: no clock, no threads; everything is reported to the
/// <see cref="IVoiceActivitySink"/> during the call. Memory is fixed at construction; a steady-state
/// frame allocates nothing.
/// </summary>
/// <remarks>
/// Gate timeline: while closed, audio only enters a bounded history. When speech is confirmed
/// (<see cref="VadOptions.MinSpeechMs"/> after it began) the gate opens and forwards from
/// <see cref="VadOptions.PreRollMs"/> before the reported start, then every new sample as it arrives.
/// When SpeechEnded is decided the gate forwards <see cref="VadOptions.HangoverMs"/> more, then
/// closes. Forwarded audio carries its stream position, so a recognizer's timestamps (which count
/// forwarded samples) map back to stream time; <see cref="GatedTimeline"/> keeps that map.
/// </remarks>
public sealed class VoiceActivityDetector : IDisposable
{
    private const int Window = SileroVadModel.WindowSamples;

    private readonly SileroVad _vad;
    private readonly SpeechSegmenter _segmenter;
    private readonly AudioHistory _history;
    private readonly float[] _window = new float[Window];
    private readonly int _preRoll;
    private readonly int _hangover;
    private readonly int _rewarmAfterQuiet;
    private readonly float[] _rewarmAudio;
    private readonly float _negativeThreshold;
    private int _windowFill;
    private long _quietFrom = -1;            // where the current quiet stretch began; -1 when not quiet
    private bool _rewarmedThisQuiet;

    private bool _gateOpen;
    private long _forwardedUpTo;             // every sample before this was forwarded or skipped
    private long _closeAt = long.MaxValue;   // while open: where the gate closes (MaxValue while speaking)

    /// <summary>A detector for one stream, over the shared <paramref name="model"/>.</summary>
    public VoiceActivityDetector(SileroVadModel model, VadOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        Options = options ?? new VadOptions();
        _segmenter = new SpeechSegmenter(Options);   // validates the options
        _preRoll = Options.PreRollSamples;
        _hangover = Options.HangoverSamples;
        _rewarmAfterQuiet = Options.RewarmAfterQuietSamples;
        _rewarmAudio = new float[_rewarmAfterQuiet > 0 ? Options.RewarmAudioSamples : 0];
        _negativeThreshold = Options.EffectiveNegativeThreshold;
        // Enough to reach back to the pre-roll of a start confirmed as late as the rules allow
        // (MinSpeech plus a pause just short of MinSilence, plus the window in progress), and to the rewarm audio.
        _history = new AudioHistory(Math.Max(
            _preRoll + Options.SpeechPadSamples + Options.MinSpeechSamples + Options.MinSilenceSamples + (2 * Window),
            _rewarmAudio.Length + Window));
        _vad = model.CreateStream();
    }

    public VadOptions Options { get; }

    /// <summary>Samples received since the stream began (or the last <see cref="Reset"/>).</summary>
    public long SamplesReceived => _history.End;

    /// <summary>Whether speech is in progress (between SpeechStarted and SpeechEnded).</summary>
    public bool IsSpeaking => _segmenter.IsSpeaking;

    /// <summary>Whether the gate is forwarding audio.</summary>
    public bool IsGateOpen => _gateOpen;

    /// <summary>Samples forwarded to the sink so far.</summary>
    public long SamplesForwarded { get; private set; }

    /// <summary>The last window's speech probability.</summary>
    public float LastProbability { get; private set; }

    /// <summary>Samples of audio history this stream holds (the gate's memory bound).</summary>
    public int HistoryCapacitySamples => _history.Capacity;

    /// <summary>Takes the next <paramref name="samples"/> of the stream (16 kHz mono, float in [-1, 1]) and reports to <paramref name="sink"/>.</summary>
    public void Process(ReadOnlySpan<float> samples, IVoiceActivitySink sink)
    {
        ArgumentNullException.ThrowIfNull(sink);
        while (!samples.IsEmpty)
        {
            // Never past a window boundary, so the history always holds what the gate still owes.
            int take = Math.Min(samples.Length, Window - _windowFill);
            ReadOnlySpan<float> piece = samples[..take];
            samples = samples[take..];
            piece.CopyTo(_window.AsSpan(_windowFill));
            _windowFill += take;
            _history.Write(piece);
            if (_gateOpen) Forward(sink);
            if (_windowFill == Window)
            {
                _windowFill = 0;
                RunWindow(sink);
            }
        }
    }

    /// <summary>
    /// The stream ended: open speech ends at the last sample received (SpeechEnded), a partial last
    /// window is not judged, and an open gate closes (OnGateClosed). Call <see cref="Reset"/> before reusing the detector.
    /// </summary>
    public void Finish(IVoiceActivitySink sink)
    {
        ArgumentNullException.ThrowIfNull(sink);
        if (_segmenter.Finish(_history.End)) sink.OnSpeechEnded(_segmenter.LastEnd);
        if (_gateOpen) sink.OnGateClosed(_forwardedUpTo);
        _gateOpen = false;
        _closeAt = long.MaxValue;
    }

    /// <summary>Forgets the stream: the next sample is sample 0 of a new one.</summary>
    public void Reset()
    {
        _vad.Reset();
        _segmenter.Reset();
        _history.Clear();
        _windowFill = 0;
        _gateOpen = false;
        _forwardedUpTo = 0;
        _closeAt = long.MaxValue;
        _quietFrom = -1;
        _rewarmedThisQuiet = false;
        SamplesForwarded = 0;
        LastProbability = 0;
    }

    public void Dispose() => _vad.Dispose();

    private void RunWindow(IVoiceActivitySink sink)
    {
        long windowStart = _history.End - Window;
        float probability = _vad.Process(_window);
        LastProbability = probability;
        sink.OnProbability(windowStart, probability);

        switch (_segmenter.Push(probability))
        {
            case SpeechSegmentDecision.Started:
                SpeechBoundary start = _segmenter.LastStart;
                sink.OnSpeechStarted(start);
                if (!_gateOpen)
                {
                    long from = Math.Max(Math.Max(start.StreamSample - _preRoll, _forwardedUpTo), _history.Oldest);
                    _forwardedUpTo = from;
                    _gateOpen = true;
                }
                _closeAt = long.MaxValue;
                Forward(sink);
                break;
            case SpeechSegmentDecision.Ended:
                sink.OnSpeechEnded(_segmenter.LastEnd);
                _closeAt = _history.End + _hangover;
                if (_gateOpen) Forward(sink);   // closes at once when there is no hangover
                break;
        }
        RewarmAfterQuiet(windowStart, probability);
    }

    /// <summary>
    /// Once per quiet stretch of <see cref="VadOptions.RewarmAfterQuietMs"/>, starts the model's state afresh
    /// from the latest audio, so that how loud earlier speech was no longer weighs on the next.
    /// </summary>
    private void RewarmAfterQuiet(long windowStart, float probability)
    {
        if (_rewarmAfterQuiet == 0) return;
        bool quiet = probability < _negativeThreshold && !_segmenter.IsSpeaking && !_segmenter.HasCandidate;
        if (!quiet)
        {
            _quietFrom = -1;
            _rewarmedThisQuiet = false;
            return;
        }
        if (_quietFrom < 0) _quietFrom = windowStart;
        if (_rewarmedThisQuiet || _history.End - _quietFrom < _rewarmAfterQuiet || _history.End - _history.Oldest < _rewarmAudio.Length) return;
        _history.Slice(_history.End - _rewarmAudio.Length, _history.End, out ReadOnlySpan<float> first, out ReadOnlySpan<float> second);
        first.CopyTo(_rewarmAudio);
        second.CopyTo(_rewarmAudio.AsSpan(first.Length));
        _vad.Rewarm(_rewarmAudio);
        _rewarmedThisQuiet = true;
    }

    /// <summary>Forwards what the open gate owes, up to where it closes.</summary>
    private void Forward(IVoiceActivitySink sink)
    {
        long to = Math.Min(_history.End, _closeAt);
        if (to > _forwardedUpTo)
        {
            _history.Slice(_forwardedUpTo, to, out ReadOnlySpan<float> first, out ReadOnlySpan<float> second);
            sink.OnGatedAudio(first, _forwardedUpTo);
            if (!second.IsEmpty) sink.OnGatedAudio(second, _forwardedUpTo + first.Length);
            SamplesForwarded += to - _forwardedUpTo;
            _forwardedUpTo = to;
        }
        if (_forwardedUpTo >= _closeAt)
        {
            _gateOpen = false;
            _closeAt = long.MaxValue;
            sink.OnGateClosed(_forwardedUpTo);
        }
    }
}
