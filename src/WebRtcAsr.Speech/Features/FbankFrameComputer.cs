namespace WebRtcAsr.Speech.Features;

/// <summary>
/// Turns one frame of samples into one log-mel feature vector, step for step as kaldi-native-fbank's
/// <c>ProcessWindow</c> + <c>FbankComputer::Compute</c> with sherpa's settings: remove the DC offset,
/// pre-emphasise (x[i] −= 0.97·x[i−1], x[0] −= 0.97·x[0]), multiply by the Povey window, zero-pad to the
/// FFT length, power spectrum, mel filters, natural log floored at float machine epsilon. All arithmetic
/// is single precision in the reference's order, so results agree to the last bit or so.
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
    private readonly float[] _re;
    private readonly float[] _im;
    private readonly float[] _power;

    public FbankFrameComputer(FbankOptions options)
    {
        FrameLength = options.WindowSize;
        _window = PoveyWindow.For(FrameLength);
        _melBanks = MelFilterbank.For(options);
        _fft = new RealFft(options.PaddedWindowSize);
        _frame = new float[options.PaddedWindowSize];
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
    /// <see cref="Compute"/>. Exposed so the caller can extract (and reflect) straight into it.
    /// </summary>
    public Span<float> FrameBuffer => _frame.AsSpan(0, FrameLength);

    /// <summary>Computes the log-mel energies of the samples in <see cref="FrameBuffer"/>.</summary>
    public void Compute(Span<float> features)
    {
        Span<float> x = _frame.AsSpan(0, FrameLength);

        // DC offset: a plain running float sum, as the reference does (its rounding shows in quiet frames).
        float sum = 0;
        for (int i = 0; i < x.Length; i++)
        {
            sum += x[i];
        }

        float mean = sum / x.Length;
        for (int i = 0; i < x.Length; i++)
        {
            x[i] -= mean;
        }

        for (int i = x.Length - 1; i > 0; i--)
        {
            x[i] -= PreemphCoeff * x[i - 1];
        }

        x[0] -= PreemphCoeff * x[0];

        ReadOnlySpan<float> window = _window;
        for (int i = 0; i < x.Length; i++)
        {
            x[i] *= window[i];
        }

        _frame.AsSpan(FrameLength).Clear();
        _fft.Forward(_frame, _re, _im);

        // Power spectrum in float from the float spectrum. The Nyquist bin (index n/2) is computed but
        // no mel filter reaches it.
        int half = _fft.Length / 2;
        for (int k = 0; k <= half; k++)
        {
            _power[k] = (_re[k] * _re[k]) + (_im[k] * _im[k]);
        }

        _melBanks.Apply(_power, features);
        for (int i = 0; i < Dim; i++)
        {
            features[i] = MathF.Log(Math.Max(features[i], LogFloor));
        }
    }
}
