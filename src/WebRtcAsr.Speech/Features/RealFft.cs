using System.Collections.Concurrent;

namespace WebRtcAsr.Speech.Features;

/// <summary>
/// Forward FFT of a real, power-of-two-length frame, in single precision, computed with the same
/// operations in the same order as kissfft's <c>kiss_fftr</c> inside sherpa-onnx 1.13.8 (kaldi-native-fbank's
/// Rfft uses it): the n-point real signal is packed into n/2 complex points, transformed by a mixed
/// radix-4/radix-2 decimation-in-time FFT, then split into the n/2 + 1 bins of the real spectrum.
/// kissfft is built with -ffast-math, so the compiler regrouped some sums; the butterflies below follow
/// the expression trees of that binary (read from its disassembly), not the C source, and so give its
/// results bit for bit. Matching the rounding matters for the weak bins (e.g. 4–8 kHz of upsampled
/// telephone audio), where float rounding noise is the signal.
/// One instance per stream: it owns its scratch space; twiddles are shared per size.
/// </summary>
internal sealed class RealFft
{
    private readonly Tables _tables;
    private readonly float[] _re;
    private readonly float[] _im;

    public RealFft(int length)
    {
        if (length < 4 || !System.Numerics.BitOperations.IsPow2(length))
        {
            throw new ArgumentOutOfRangeException(nameof(length), length, "The FFT length must be a power of two, at least 4.");
        }

        Length = length;
        _tables = Tables.For(length / 2);
        _re = new float[length / 2];
        _im = new float[length / 2];
    }

    /// <summary>Number of real input samples.</summary>
    public int Length { get; }

    /// <summary>
    /// Transforms <paramref name="input"/> (<see cref="Length"/> samples) into bins 0..Length/2 of its
    /// spectrum, real parts to <paramref name="real"/> and imaginary parts to <paramref name="imaginary"/>
    /// (kissfft's sign convention: X[k] = Σ x[t]·e^(−2πi·k·t/n)).
    /// </summary>
    public void Forward(ReadOnlySpan<float> input, Span<float> real, Span<float> imaginary)
    {
        int half = Length / 2;
        if (input.Length < Length || real.Length < half + 1 || imaginary.Length < half + 1)
        {
            throw new ArgumentException("Buffers are shorter than the transform.");
        }

        Transform(input, 0, 0, 1, 0);
        SplitRealSpectrum(real, imaginary);
    }

    // One level of the recursive decimation in time: 'p' sub-transforms of length 'm' over the inputs
    // taken every 'stride' points from 'inputPoint', then one pass of radix-p butterflies to combine them.
    private void Transform(ReadOnlySpan<float> input, int outputPoint, int inputPoint, int stride, int stage)
    {
        int p = _tables.Factors[2 * stage];
        int m = _tables.Factors[(2 * stage) + 1];
        if (m == 1)
        {
            for (int q = 0; q < p; q++)
            {
                int source = 2 * (inputPoint + (q * stride));
                _re[outputPoint + q] = input[source];
                _im[outputPoint + q] = input[source + 1];
            }
        }
        else
        {
            for (int q = 0; q < p; q++)
            {
                Transform(input, outputPoint + (q * m), inputPoint + (q * stride), stride * p, stage + 1);
            }
        }

        if (p == 4)
        {
            Radix4(outputPoint, stride, m);
        }
        else
        {
            Radix2(outputPoint, stride, m);
        }
    }

    private void Radix2(int start, int stride, int m)
    {
        float[] re = _re, im = _im, twRe = _tables.TwiddleRe, twIm = _tables.TwiddleIm;
        for (int k = 0; k < m; k++)
        {
            int a = start + k, b = a + m, w = k * stride;
            float rr = re[b] * twRe[w], ii = im[b] * twIm[w];
            float ti = (im[b] * twRe[w]) + (re[b] * twIm[w]);
            float f0r = re[a], f0i = im[a];

            // t = F[b]·w; F[b] = F[a] − t; F[a] += t, with the real parts regrouped as compiled.
            re[b] = (f0r + ii) - rr;
            im[b] = f0i - ti;
            re[a] = (f0r + rr) - ii;
            im[a] = f0i + ti;
        }
    }

    private void Radix4(int start, int stride, int m)
    {
        float[] re = _re, im = _im, twRe = _tables.TwiddleRe, twIm = _tables.TwiddleIm;
        for (int k = 0; k < m; k++)
        {
            int i0 = start + k, i1 = i0 + m, i2 = i1 + m, i3 = i2 + m;
            int w1 = k * stride, w2 = 2 * w1, w3 = 3 * w1;

            // s0 = F1·w1 in full; of s1 = F2·w2 and s2 = F3·w3 only the imaginary parts are formed,
            // their real parts stay as two products each (a2 − b2, c3 − d3) and are folded into the
            // sums below. This is kissfft's radix-4 butterfly as the reference binary evaluates it.
            float s0r = (re[i1] * twRe[w1]) - (im[i1] * twIm[w1]);
            float s0i = (im[i1] * twRe[w1]) + (re[i1] * twIm[w1]);
            float a2 = re[i2] * twRe[w2], b2 = im[i2] * twIm[w2];
            float s1i = (im[i2] * twRe[w2]) + (re[i2] * twIm[w2]);
            float c3 = re[i3] * twRe[w3], d3 = im[i3] * twIm[w3];
            float s2i = (im[i3] * twRe[w3]) + (re[i3] * twIm[w3]);
            float f0r = re[i0], f0i = im[i0];

            float sumR = (f0r + a2) - b2;          // F0 + s1
            float sumI = f0i + s1i;
            float s5r = (f0r + b2) - a2;           // F0 − s1
            float s5i = f0i - s1i;
            float s3r = (s0r - d3) + c3;           // s0 + s2
            float s3i = s2i + s0i;
            float s4r = (s0r - c3) + d3;           // s0 − s2 (real part)

            re[i2] = sumR - s3r;
            im[i2] = sumI - s3i;
            re[i0] = s3r + sumR;
            im[i0] = s3i + sumI;
            re[i1] = (s5r + s0i) - s2i;            // s5.r + s4.i
            im[i1] = s5i - s4r;
            re[i3] = (s5r + s2i) - s0i;            // s5.r − s4.i
            im[i3] = s4r + s5i;
        }
    }

    // Untangles the n/2-point complex transform of the even/odd-packed signal into the real spectrum.
    private void SplitRealSpectrum(Span<float> real, Span<float> imaginary)
    {
        float[] re = _re, im = _im, swRe = _tables.SuperTwiddleRe, swIm = _tables.SuperTwiddleIm;
        int n = re.Length;
        real[0] = re[0] + im[0];
        imaginary[0] = 0;
        for (int k = 1; k <= n / 2; k++)
        {
            float f1R = re[n - k] + re[k];
            float f2R = re[k] - re[n - k];
            float f2I = im[n - k] + im[k];
            float twI = (swRe[k] * f2I) + (f2R * swIm[k]);
            float pR = f2R * swRe[k], qR = f2I * swIm[k];

            // X[k] = (f1 + f2·w)/2 and X[n−k] = conj(f1 − f2·w)/2, real parts regrouped as compiled.
            real[k] = ((f1R + pR) - qR) * 0.5f;
            imaginary[k] = ((im[k] - im[n - k]) + twI) * 0.5f;
            real[n - k] = ((f1R + qR) - pR) * 0.5f;
            imaginary[n - k] = ((im[n - k] - im[k]) + twI) * 0.5f;
        }

        real[n] = re[0] - im[0];
        imaginary[n] = 0;
    }

    /// <summary>Twiddle factors and radix plan for one complex length, shared by all instances.</summary>
    private sealed class Tables
    {
        private static readonly ConcurrentDictionary<int, Tables> Cache = new();

        private Tables(int points)
        {
            TwiddleRe = new float[points];
            TwiddleIm = new float[points];
            for (int i = 0; i < points; i++)
            {
                // Double-precision angle, rounded to float once, as kissfft builds its table.
                double phase = -2.0 * Math.PI * i / points;
                TwiddleRe[i] = (float)Math.Cos(phase);
                TwiddleIm[i] = (float)Math.Sin(phase);
            }

            SuperTwiddleRe = new float[points];
            SuperTwiddleIm = new float[points];
            for (int i = 0; i < points; i++)
            {
                double phase = -Math.PI * (((double)i / points) + 0.5);
                SuperTwiddleRe[i] = (float)Math.Cos(phase);
                SuperTwiddleIm[i] = (float)Math.Sin(phase);
            }

            // Radix 4 while it divides, then radix 2 (a power of two leaves nothing else).
            var factors = new List<int>();
            int rest = points;
            while (rest > 1)
            {
                int p = rest % 4 == 0 ? 4 : 2;
                rest /= p;
                factors.Add(p);
                factors.Add(rest);
            }

            Factors = [.. factors];
        }

        public float[] TwiddleRe { get; }

        public float[] TwiddleIm { get; }

        public float[] SuperTwiddleRe { get; }

        public float[] SuperTwiddleIm { get; }

        /// <summary>Pairs (radix, remaining length) per stage, outermost first.</summary>
        public int[] Factors { get; }

        public static Tables For(int points) => Cache.GetOrAdd(points, static p => new Tables(p));
    }
}
