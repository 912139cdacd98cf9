namespace WebRtcAsr.Speech.Vad;

/// <summary>
/// Turns a stream's per-window speech probabilities into speech segments, one window at a time, by
/// upstream silero-vad's rules (get_speech_timestamps, made causal): a window at or above the
/// threshold opens a candidate; the candidate becomes speech once it has lasted
/// <see cref="VadOptions.MinSpeechMs"/> without being in a pause, or is dropped when a pause reaches
/// <see cref="VadOptions.MinSilenceMs"/> first; speech ends when a pause reaches
/// <see cref="VadOptions.MinSilenceMs"/>. A pause starts at the first window below the negative
/// threshold and is cleared only by a window at or above the threshold. Reported starts are padded
/// earlier and ends later by <see cref="VadOptions.SpeechPadMs"/>, never overlapping the previous
/// segment. Pure state over numbers: no model, no clock, no allocation.
/// </summary>
public sealed class SpeechSegmenter
{
    private readonly float _threshold;
    private readonly float _negativeThreshold;
    private readonly int _minSpeech;
    private readonly int _minSilence;
    private readonly int _pad;
    private readonly int _window;

    private long _windowStart;          // stream sample where the next window starts
    private long _candidateStart = -1;  // first window of the current candidate or segment; -1 when idle
    private long _pauseStart = -1;      // first window of the current pause; -1 when none
    private long _previousEnd;          // end of the last reported segment (starts never go before it)

    /// <summary>A segmenter for windows of <paramref name="windowSamples"/> samples (512 for Silero at 16 kHz).</summary>
    public SpeechSegmenter(VadOptions options, int windowSamples = SileroVadModel.WindowSamples)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(windowSamples);
        _threshold = options.Threshold;
        _negativeThreshold = options.EffectiveNegativeThreshold;
        _minSpeech = options.MinSpeechSamples;
        _minSilence = options.MinSilenceSamples;
        _pad = options.SpeechPadSamples;
        _window = windowSamples;
    }

    /// <summary>Whether a speech segment is open (started and not yet ended).</summary>
    public bool IsSpeaking { get; private set; }

    /// <summary>Whether a candidate (not yet confirmed) is open.</summary>
    public bool HasCandidate => _candidateStart >= 0 && !IsSpeaking;

    /// <summary>Where the next window starts (samples pushed so far, in whole windows).</summary>
    public long Position => _windowStart;

    /// <summary>The last reported start (set with <see cref="SpeechSegmentDecision.Started"/>).</summary>
    public SpeechBoundary LastStart { get; private set; }

    /// <summary>The last reported end (set with <see cref="SpeechSegmentDecision.Ended"/> or <see cref="Finish"/>).</summary>
    public SpeechBoundary LastEnd { get; private set; }

    /// <summary>Takes the next window's probability; the answer says whether a segment started or ended with it.</summary>
    public SpeechSegmentDecision Push(float probability)
    {
        long start = _windowStart;
        long end = start + _window;
        _windowStart = end;

        bool speech = probability >= _threshold;
        if (speech) _pauseStart = -1;
        else if (probability < _negativeThreshold && _candidateStart >= 0 && _pauseStart < 0) _pauseStart = start;

        if (_candidateStart < 0)
        {
            if (!speech) return SpeechSegmentDecision.None;
            _candidateStart = start;
        }

        if (_pauseStart >= 0)
        {
            if (start - _pauseStart < _minSilence) return SpeechSegmentDecision.None;
            bool wasSpeaking = IsSpeaking;
            long pauseStart = _pauseStart;
            _candidateStart = -1;
            _pauseStart = -1;
            IsSpeaking = false;
            if (!wasSpeaking) return SpeechSegmentDecision.None;   // a candidate too short to be speech
            long endSample = Math.Min(pauseStart + _pad, end);
            _previousEnd = endSample;
            LastEnd = new SpeechBoundary(endSample, end);
            return SpeechSegmentDecision.Ended;
        }

        if (!IsSpeaking && end - _candidateStart >= _minSpeech)
        {
            IsSpeaking = true;
            LastStart = new SpeechBoundary(Math.Max(_candidateStart - _pad, _previousEnd), end);
            return SpeechSegmentDecision.Started;
        }
        return SpeechSegmentDecision.None;
    }

    /// <summary>
    /// The stream ended at <paramref name="streamEnd"/>: an open segment ends there (returns true and
    /// sets <see cref="LastEnd"/>); a candidate is dropped. The segmenter is then idle.
    /// </summary>
    public bool Finish(long streamEnd)
    {
        bool wasSpeaking = IsSpeaking;
        if (wasSpeaking)
        {
            long endSample = _pauseStart >= 0 ? Math.Min(_pauseStart + _pad, streamEnd) : streamEnd;
            _previousEnd = endSample;
            LastEnd = new SpeechBoundary(endSample, streamEnd);
        }
        IsSpeaking = false;
        _candidateStart = -1;
        _pauseStart = -1;
        return wasSpeaking;
    }

    /// <summary>Forgets everything: the next window is window 0 of a new stream.</summary>
    public void Reset()
    {
        _windowStart = 0;
        _candidateStart = -1;
        _pauseStart = -1;
        _previousEnd = 0;
        IsSpeaking = false;
        LastStart = default;
        LastEnd = default;
    }
}
