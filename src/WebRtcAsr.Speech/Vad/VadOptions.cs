namespace WebRtcAsr.Speech.Vad;

/// <summary>
/// How <see cref="VoiceActivityDetector"/> turns Silero's per-window probabilities into speech
/// segments and how its gate forwards audio. The decision rules are upstream silero-vad's
/// (VADIterator / get_speech_timestamps): speech starts at a window at or above
/// <see cref="Threshold"/>, a pause starts at a window below <see cref="NegativeThreshold"/> and is
/// cleared only by a window at or above <see cref="Threshold"/> again (hysteresis).
/// </summary>
public sealed record VadOptions
{
    /// <summary>Longest pre-roll, padding or silence accepted, so that a stream's audio history stays small.</summary>
    public const int MaxDurationMs = 5000;

    /// <summary>
    /// For streams whose source is narrowband (8 kHz: G.711 phone calls): threshold 0.4. Silero scores
    /// band-limited speech lower (0.55–0.9 where wideband speech gets 0.95+); on μ-law test speech
    /// 0.5 missed 2 of 10 words in quiet and 0.4 none, at 0.6 points of precision
    /// (see src/WebRtcAsr.Speech/Vad/README.md).
    /// </summary>
    public static VadOptions Narrowband { get; } = new() { Threshold = 0.4f };

    /// <summary>A window at or above this probability is speech (upstream's default 0.5).</summary>
    public float Threshold { get; init; } = 0.5f;

    /// <summary>
    /// Below this a window is silence; between the two thresholds a window keeps the current state.
    /// Null means upstream's default, max(<see cref="Threshold"/> − 0.15, 0.01).
    /// </summary>
    public float? NegativeThreshold { get; init; }

    /// <summary>
    /// A candidate segment becomes speech (SpeechStarted) once it has lasted this long; shorter blips
    /// (a click, a cough-length noise) are never reported nor forwarded.
    /// </summary>
    public int MinSpeechMs { get; init; } = 150;

    /// <summary>Speech ends (SpeechEnded) after this much silence.</summary>
    public int MinSilenceMs { get; init; } = 400;

    /// <summary>Reported starts are moved this much earlier and ends this much later (upstream's speech_pad_ms), at most <see cref="MinSilenceMs"/>.</summary>
    public int SpeechPadMs { get; init; } = 30;

    /// <summary>The gate forwards this much audio from before the reported speech start, so the first syllable reaches the recognizer.</summary>
    public int PreRollMs { get; init; } = 300;

    /// <summary>The gate keeps forwarding this much audio after SpeechEnded is decided (trailing context for the recognizer).</summary>
    public int HangoverMs { get; init; } = 300;

    /// <summary>
    /// After this much quiet (no speech, no candidate, every window below the negative threshold) the model's
    /// recurrent state is started afresh from the latest <see cref="RewarmAudioMs"/> of audio, once per quiet
    /// stretch; 0 never does. Silero's state remembers how loud the stream has been: after loud speech it scored
    /// speech 20–26 dB quieter at 0.03–0.7 where a fresh state scored it 0.99, so a quiet talker after a loud
    /// one went unheard or was heard late.
    /// </summary>
    public int RewarmAfterQuietMs { get; init; } = 1000;

    /// <summary>The audio the fresh state is warmed on (rounded up to whole 32 ms windows).</summary>
    public int RewarmAudioMs { get; init; } = 512;

    /// <summary>The negative threshold in force.</summary>
    public float EffectiveNegativeThreshold => NegativeThreshold ?? Math.Max(Threshold - 0.15f, 0.01f);

    internal int MinSpeechSamples => Samples(MinSpeechMs);

    internal int MinSilenceSamples => Samples(MinSilenceMs);

    internal int SpeechPadSamples => Samples(SpeechPadMs);

    internal int PreRollSamples => Samples(PreRollMs);

    internal int HangoverSamples => Samples(HangoverMs);

    internal int RewarmAfterQuietSamples => Samples(RewarmAfterQuietMs);

    internal int RewarmAudioSamples => (Samples(RewarmAudioMs) + SileroVadModel.WindowSamples - 1) / SileroVadModel.WindowSamples * SileroVadModel.WindowSamples;

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> naming the first value out of range.</summary>
    public void Validate()
    {
        if (!(Threshold > 0f && Threshold < 1f)) throw new ArgumentOutOfRangeException(nameof(Threshold), Threshold, "must be in (0, 1)");
        float negative = EffectiveNegativeThreshold;
        if (!(negative > 0f && negative <= Threshold)) throw new ArgumentOutOfRangeException(nameof(NegativeThreshold), negative, $"must be in (0, {nameof(Threshold)}]");
        Check(MinSpeechMs, nameof(MinSpeechMs));
        Check(MinSilenceMs, nameof(MinSilenceMs));
        Check(SpeechPadMs, nameof(SpeechPadMs));
        Check(PreRollMs, nameof(PreRollMs));
        Check(HangoverMs, nameof(HangoverMs));
        Check(RewarmAfterQuietMs, nameof(RewarmAfterQuietMs));
        Check(RewarmAudioMs, nameof(RewarmAudioMs));
        if (SpeechPadMs > MinSilenceMs) throw new ArgumentOutOfRangeException(nameof(SpeechPadMs), SpeechPadMs, $"must not exceed {nameof(MinSilenceMs)} ({MinSilenceMs})");
    }

    private static void Check(int ms, string name)
    {
        if (ms < 0 || ms > MaxDurationMs) throw new ArgumentOutOfRangeException(name, ms, $"must be in [0, {MaxDurationMs}] ms");
    }

    private static int Samples(int ms) => ms * (SileroVadModel.SampleRate / 1000);
}
