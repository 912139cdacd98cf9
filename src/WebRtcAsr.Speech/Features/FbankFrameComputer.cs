using System.Numerics;

namespace WebRtcAsr.Speech.Features;

/// <summary>
/// Turns one frame of samples into one log-mel feature vector, step for step as kaldi-native-fbank's
/// <c>ProcessWindow</c> + <c>FbankComputer::Compute</c> with sherpa's settings: remove the DC offset,
/// pre-emphasise (x[i] −= 0.97·x[i−1], x[0] −= 0.97·x[0]), multiply by the Povey window, zero-pad to the
/// FFT length, power spectrum, mel filters, natural log floored at float machine epsilon. Every value
/// gets the reference's single-precision operations in the reference's order (sums stay sequential;
/// only element-wise steps use SIMD), so frames equal sherpa-onnx's bit for bit (SherpaFbankTests).
/// Owns its scratch buffers: one per stream, not thread-safe, no allocation per frame.
/// </summary>
internal sealed class FbankFrameComputer
{
    /// <summary>std::numeric_limits&lt;float&gt;::epsilon() (2^−23), the floor before the log; not <see cref="float.Epsilon"/>.</summary>
    public const float LogFloor = 1.1920929E-07f;

    private const float PreemphCoeff = 0.97f;

    private readonly float[] _window;
    private readonly MelFilterbank _melBanks;
    private readonly RealFft _fft;
    private readonly float[] _frame;
    private readonly float[] _fftInput;
    private readonly float[] _re;
    private readonly float[] _im;
    private readonly float[] _power;

    public FbankFrameComputer(FbankOptions options)
    {
        FrameLength = options.WindowSize;
        _window = PoveyWindow.For(FrameLength);
        _melBanks = MelFilterbank.For(options);
        _fft = new RealFft(options.PaddedWindowSize);
        _frame = new float[FrameLength];
        _fftInput = new float[options.PaddedWindowSize];
        _re = new float[(options.PaddedWindowSize / 2) + 1];
        _im = new float[(options.PaddedWindowSize / 2) + 1];
        _power = new float[(options.PaddedWindowSize / 2) + 1];
    }

    /// <summary>Samples per frame (400 at 16 kHz).</summary>
    public int FrameLength { get; }

    /// <summary>Feature dimension (number of mel bins).</summary>
    public int Dim => _melBanks.NumBins;

    /// <summary>
    /// The frame's samples, to be filled by the caller (length <see cref="FrameLength"/>), then passed to
    /// <see cref="Compute(Span{float})"/>. Exposed so the caller can extract (and reflect) straight into it.
    /// </summary>
    public Span<float> FrameBuffer => _frame.AsSpan(0, FrameLength);

    /// <summary>Computes the log-mel energies of the samples in <see cref="FrameBuffer"/>.</summary>
    public void Compute(Span<float> features) => Compute(features, SequentialSum(FrameBuffer));

    /// <summary>
    /// As <see cref="Compute(Span{float})"/>, with the frame's <see cref="SequentialSum"/> already known (computed
    /// for several frames at once by <see cref="SequentialSums"/>).
    /// </summary>
    public void Compute(Span<float> features, float sum)
    {
        ReadOnlySpan<float> x = _frame.AsSpan(0, FrameLength);
        float mean = sum / x.Length;
        Condition(x, mean, _fftInput);

        _fft.Forward(_fftInput, _re, _im);
        PowerSpectrum(_re, _im, _power);
        _melBanks.Apply(_power, features);

        for (int i = 0; i < Dim; i++)
        {
            features[i] = MathF.Log(Math.Max(features[i], LogFloor));
        }
    }

    /// <summary>
    /// The samples' sum for the DC offset: a plain running float sum, as the reference does (its rounding shows in
    /// quiet frames), so it stays sequential: one dependent add per sample.
    /// </summary>
    public static float SequentialSum(ReadOnlySpan<float> x)
    {
        float sum = 0;
        for (int i = 0; i < x.Length; i++)
        {
            sum += x[i];
        }

        return sum;
    }

    /// <summary>
    /// <see cref="SequentialSum"/> of up to four frames of <paramref name="length"/> samples starting at
    /// <paramref name="starts"/> in <paramref name="samples"/>, into <paramref name="sums"/>. Each frame's sum is
    /// its own sequential chain, so the results are the same bits; running the chains side by side lets the
    /// processor overlap their add latencies (a single chain waits on every add).
    /// </summary>
    public static void SequentialSums(ReadOnlySpan<float> samples, ReadOnlySpan<int> starts, int length, Span<float> sums)
    {
        int count = starts.Length;
        if (count is < 1 or > 4)
        {
            throw new ArgumentOutOfRangeException(nameof(starts), count, "One to four frames.");
        }

        // Unused chains repeat the first frame (and are dropped): one loop shape for every count.
        ReadOnlySpan<float> a = samples.Slice(starts[0], length);
        ReadOnlySpan<float> b = samples.Slice(starts[count > 1 ? 1 : 0], length);
        ReadOnlySpan<float> c = samples.Slice(starts[count > 2 ? 2 : 0], length);
        ReadOnlySpan<float> d = samples.Slice(starts[count > 3 ? 3 : 0], length);
        float s0 = 0, s1 = 0, s2 = 0, s3 = 0;
        for (int i = 0; i < length; i++)
        {
            s0 += a[i];
            s1 += b[i];
            s2 += c[i];
            s3 += d[i];
        }

        sums[0] = s0;
        if (count > 1)
        {
            sums[1] = s1;
        }

        if (count > 2)
        {
            sums[2] = s2;
        }

        if (count > 3)
        {
            sums[3] = s3;
        }
    }

    // y[i] = ((x[i] − mean) − 0.97·(x[i−1] − mean))·w[i], y[0] = ((x[0] − mean) − 0.97·(x[0] − mean))·w[0]:
    // knf's in-place DC removal, backward pre-emphasis and windowing, fused into one pass that reads x
    // and writes the FFT input. Each element gets exactly the reference's operations (no sums), so the
    // SIMD lanes give the same bits as the scalar loop.
    private void Condition(ReadOnlySpan<float> x, float mean, Span<float> y)
    {
        ReadOnlySpan<float> w = _window;
        float a0 = x[0] - mean;
        y[0] = (a0 - (PreemphCoeff * a0)) * w[0];
        int i = 1;
        if (Vector.IsHardwareAccelerated)
        {
            var meanV = new Vector<float>(mean);
            var coeffV = new Vector<float>(PreemphCoeff);
            for (; i + Vector<float>.Count <= x.Length; i += Vector<float>.Count)
            {
                var current = new Vector<float>(x[i..]) - meanV;
                var previous = new Vector<float>(x[(i - 1)..]) - meanV;
                ((current - (coeffV * previous)) * new Vector<float>(w[i..])).CopyTo(y[i..]);
            }
        }

        for (; i < x.Length; i++)
        {
            y[i] = ((x[i] - mean) - (PreemphCoeff * (x[i - 1] - mean))) * w[i];
        }

        y[x.Length..].Clear();
    }

    // |X[k]|² in float from the float spectrum, element by element. The Nyquist bin (index n/2) is
    // computed too but no mel filter reaches it.
    private static void PowerSpectrum(ReadOnlySpan<float> re, ReadOnlySpan<float> im, Span<float> power)
    {
        int k = 0;
        if (Vector.IsHardwareAccelerated)
        {
            for (; k + Vector<float>.Count <= power.Length; k += Vector<float>.Count)
            {
                var r = new Vector<float>(re[k..]);
                var m = new Vector<float>(im[k..]);
                ((r * r) + (m * m)).CopyTo(power[k..]);
            }
        }

        for (; k < power.Length; k++)
        {
            power[k] = (re[k] * re[k]) + (im[k] * im[k]);
        }
    }
}
