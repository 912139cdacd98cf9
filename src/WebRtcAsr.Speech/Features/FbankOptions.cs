namespace WebRtcAsr.Speech.Features;

/// <summary>
/// Settings of the Kaldi-compatible log-mel filterbank. The defaults are exactly what sherpa-onnx 1.13.8
/// gives kaldi-native-fbank for its online transducer models (zipformer, lstm): 16 kHz, 25 ms Povey
/// window every 10 ms, DC removal, pre-emphasis 0.97, 512-point power spectrum, 80 mel bins between
/// 20 Hz and Nyquist − 400 Hz, no dither, no energy term, snip_edges = false, samples in [-1, 1] fed
/// unscaled (sherpa's <c>normalize_samples = true</c>).
/// </summary>
public sealed record FbankOptions
{
    /// <summary>Sample rate of the input, in Hz.</summary>
    public int SampleRate { get; init; } = 16000;

    /// <summary>Number of triangular mel bins (the feature dimension).</summary>
    public int NumBins { get; init; } = 80;

    /// <summary>Lower edge of the first mel bin, in Hz.</summary>
    public float LowFreq { get; init; } = 20;

    /// <summary>Upper edge of the last mel bin in Hz; zero or negative counts back from Nyquist (−400 → 7600 Hz at 16 kHz).</summary>
    public float HighFreq { get; init; } = -400;

    /// <summary>Dither amount. Only 0 is supported: inference never dithers, and dither would make output non-reproducible.</summary>
    public float Dither { get; init; }

    /// <summary>
    /// False (sherpa's choice): frame <c>f</c> is centred on sample <c>160·f + 80</c>, the edges are
    /// filled by reflection, and <see cref="OnlineFbank.InputFinished"/> flushes the tail frames.
    /// True: frames start at <c>160·f</c> and only whole frames inside the signal exist.
    /// </summary>
    public bool SnipEdges { get; init; }

    /// <summary>
    /// Multiplier applied to each input sample before the filterbank. sherpa-onnx feeds transducer models
    /// the [-1, 1] samples as they are (1); models that want 16-bit-range input (sherpa's
    /// <c>normalize_samples = false</c>, e.g. paraformer) use 32768.
    /// </summary>
    public float InputScale { get; init; } = 1f;

    /// <summary>
    /// Most frames kept that the caller has not released with <see cref="OnlineFbank.DropFramesBefore"/>.
    /// Past it the oldest frames are discarded (and counted), so a stalled consumer cannot grow memory.
    /// </summary>
    public int MaxRetainedFrames { get; init; } = 2000;

    /// <summary>Frame shift in samples (10 ms), computed as Kaldi does in single precision.</summary>
    internal int WindowShift => (int)(SampleRate * 0.001f * 10f);

    /// <summary>Frame length in samples (25 ms), computed as Kaldi does in single precision.</summary>
    internal int WindowSize => (int)(SampleRate * 0.001f * 25f);

    /// <summary>FFT length: the frame length rounded up to a power of two.</summary>
    internal int PaddedWindowSize => (int)System.Numerics.BitOperations.RoundUpToPowerOf2((uint)WindowSize);

    /// <summary>Checks the options; returns null when usable, else the reason.</summary>
    internal string? Validate()
    {
        if (SampleRate < 1000 || SampleRate > 192000)
        {
            return $"SampleRate {SampleRate} is outside 1000..192000 Hz.";
        }

        if (NumBins < 3 || NumBins > PaddedWindowSize / 2)
        {
            return $"NumBins {NumBins} must be in 3..{PaddedWindowSize / 2}.";
        }

        if (Dither != 0)
        {
            return "Dither must be 0: only deterministic (inference) features are supported.";
        }

        if (!float.IsFinite(InputScale) || InputScale <= 0)
        {
            return $"InputScale {InputScale} must be a positive finite number.";
        }

        if (MaxRetainedFrames < 1)
        {
            return $"MaxRetainedFrames {MaxRetainedFrames} must be at least 1.";
        }

        float nyquist = 0.5f * SampleRate;
        float high = HighFreq > 0 ? HighFreq : nyquist + HighFreq;
        if (!float.IsFinite(LowFreq) || !float.IsFinite(HighFreq) || LowFreq < 0 || LowFreq >= nyquist
            || high <= 0 || high > nyquist || high <= LowFreq)
        {
            return $"LowFreq {LowFreq} / HighFreq {HighFreq} do not give a band inside 0..{nyquist} Hz.";
        }

        return null;
    }
}
