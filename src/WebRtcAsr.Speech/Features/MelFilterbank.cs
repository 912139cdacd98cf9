using System.Collections.Concurrent;

namespace WebRtcAsr.Speech.Features;

/// <summary>
/// Kaldi's triangular mel filters over the FFT bins 0..n/2−1 (the Nyquist bin is never used), built in
/// single precision exactly as kaldi-native-fbank's <c>MelBanks</c> (HTK mel scale 1127·ln(1 + f/700),
/// bins equally spaced in mel between the low and high cutoffs). Immutable and shared: one instance per
/// distinct (sample rate, FFT length, bins, cutoffs).
/// </summary>
internal sealed class MelFilterbank
{
    private static readonly ConcurrentDictionary<(int, int, int, float, float), MelFilterbank> Cache = new();

    private readonly int[] _firstBin;
    private readonly int[] _weightStart;
    private readonly float[] _weights;

    private MelFilterbank(int sampleRate, int fftLength, int numBins, float lowFreq, float highFreq)
    {
        int numFftBins = fftLength / 2;
        float sampleFreq = sampleRate;
        float nyquist = 0.5f * sampleFreq;
        float high = highFreq > 0.0f ? highFreq : nyquist + highFreq;
        float fftBinWidth = sampleFreq / fftLength;
        float melLow = MelScale(lowFreq);
        float melHigh = MelScale(high);
        float melDelta = (melHigh - melLow) / (numBins + 1);

        _firstBin = new int[numBins];
        _weightStart = new int[numBins + 1];
        var weights = new List<float>();
        for (int bin = 0; bin < numBins; bin++)
        {
            float leftMel = melLow + (bin * melDelta);
            float centerMel = melLow + ((bin + 1) * melDelta);
            float rightMel = melLow + ((bin + 2) * melDelta);
            int first = -1;
            int last = -1;
            int startCount = weights.Count;
            for (int i = 0; i < numFftBins; i++)
            {
                float mel = MelScale(fftBinWidth * i);
                if (mel > leftMel && mel < rightMel)
                {
                    float weight = mel <= centerMel
                        ? (mel - leftMel) / (centerMel - leftMel)
                        : (rightMel - mel) / (rightMel - centerMel);
                    if (first == -1)
                    {
                        first = i;
                    }

                    // Kaldi keeps the span first..last, zeros inside included; a triangle has none.
                    while (startCount + (i - first) > weights.Count)
                    {
                        weights.Add(0f);
                    }

                    weights.Add(weight);
                    last = i;
                }
            }

            if (first == -1)
            {
                throw new ArgumentException($"Mel bin {bin} covers no FFT bin: too many mel bins for this FFT length.");
            }

            _firstBin[bin] = first;
            _weightStart[bin] = startCount;
            _weightStart[bin + 1] = weights.Count;
        }

        _weights = [.. weights];
        NumBins = numBins;
    }

    /// <summary>Number of mel bins.</summary>
    public int NumBins { get; }

    /// <summary>The shared filterbank for these settings.</summary>
    public static MelFilterbank For(FbankOptions options) =>
        Cache.GetOrAdd(
            (options.SampleRate, options.PaddedWindowSize, options.NumBins, options.LowFreq, options.HighFreq),
            static key => new MelFilterbank(key.Item1, key.Item2, key.Item3, key.Item4, key.Item5));

    /// <summary>HTK mel scale in single precision, as Kaldi computes it.</summary>
    public static float MelScale(float freq) => 1127.0f * MathF.Log(1.0f + (freq / 700.0f));

    /// <summary>
    /// Weighted sums of <paramref name="powerSpectrum"/> per mel bin into <paramref name="melEnergies"/>.
    /// Each sum runs in order, in single precision, like the reference (so the rounding is the same).
    /// </summary>
    public void Apply(ReadOnlySpan<float> powerSpectrum, Span<float> melEnergies)
    {
        ReadOnlySpan<float> weights = _weights;
        for (int bin = 0; bin < NumBins; bin++)
        {
            int start = _weightStart[bin];
            ReadOnlySpan<float> w = weights[start.._weightStart[bin + 1]];
            ReadOnlySpan<float> p = powerSpectrum.Slice(_firstBin[bin], w.Length);
            float energy = 0;
            for (int k = 0; k < w.Length; k++)
            {
                energy += w[k] * p[k];
            }

            melEnergies[bin] = energy;
        }
    }

    /// <summary>First FFT bin and weights of one mel bin (for tests).</summary>
    internal (int FirstBin, float[] Weights) GetBin(int bin) =>
        (_firstBin[bin], _weights[_weightStart[bin].._weightStart[bin + 1]]);
}
