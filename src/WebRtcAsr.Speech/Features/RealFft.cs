using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

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
/// <para>
/// kissfft recurses depth first; here the same butterflies run stage by stage (they are independent
/// within a stage, so the values are identical), four at a time in SIMD lanes where a stage allows.
/// Lanes compute exactly the scalar expression, so vector and scalar paths agree bit for bit.
/// One instance per stream: it owns its scratch space; tables are shared per size.
/// </para>
/// </summary>
internal sealed class RealFft
{
    private readonly Plan _plan;
    private readonly float[] _re;
    private readonly float[] _im;

    public RealFft(int length)
    {
        if (length < 4 || !System.Numerics.BitOperations.IsPow2(length))
        {
            throw new ArgumentOutOfRangeException(nameof(length), length, "The FFT length must be a power of two, at least 4.");
        }

        Length = length;
        _plan = Plan.For(length / 2);
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

        // Decimation: point j of the innermost sub-transforms is complex input order[j].
        ref float x = ref MemoryMarshal.GetReference(input);
        ref float re = ref MemoryMarshal.GetArrayDataReference(_re);
        ref float im = ref MemoryMarshal.GetArrayDataReference(_im);
        int[] order = _plan.InputOrder;
        for (int j = 0; j < order.Length; j++)
        {
            int source = 2 * order[j];
            Unsafe.Add(ref re, j) = Unsafe.Add(ref x, source);
            Unsafe.Add(ref im, j) = Unsafe.Add(ref x, source + 1);
        }

        foreach (Stage stage in _plan.Stages)
        {
            if (stage.Radix == 4)
            {
                Radix4(stage);
            }
            else
            {
                Radix2(stage);
            }
        }

        SplitRealSpectrum(real, imaginary);
    }

    private void Radix2(Stage stage)
    {
        ref float re = ref MemoryMarshal.GetArrayDataReference(_re);
        ref float im = ref MemoryMarshal.GetArrayDataReference(_im);
        ref float w1r = ref MemoryMarshal.GetArrayDataReference(stage.W1Re);
        ref float w1i = ref MemoryMarshal.GetArrayDataReference(stage.W1Im);
        int m = stage.M;
        for (int block = 0; block < _re.Length; block += 2 * m)
        {
            for (int k = 0; k < m; k++)
            {
                int a = block + k, b = a + m;
                float br = Unsafe.Add(ref re, b), bi = Unsafe.Add(ref im, b);
                float wr = Unsafe.Add(ref w1r, k), wi = Unsafe.Add(ref w1i, k);
                float rr = br * wr, ii = bi * wi;
                float ti = (bi * wr) + (br * wi);
                float f0r = Unsafe.Add(ref re, a), f0i = Unsafe.Add(ref im, a);

                // t = F[b]·w; F[b] = F[a] − t; F[a] += t, with the real parts regrouped as compiled.
                Unsafe.Add(ref re, b) = (f0r + ii) - rr;
                Unsafe.Add(ref im, b) = f0i - ti;
                Unsafe.Add(ref re, a) = (f0r + rr) - ii;
                Unsafe.Add(ref im, a) = f0i + ti;
            }
        }
    }

    private void Radix4(Stage stage)
    {
        int m = stage.M;
        for (int block = 0; block < _re.Length; block += 4 * m)
        {
            int k = 0;
            if (Vector128.IsHardwareAccelerated)
            {
                for (; k + 4 <= m; k += 4)
                {
                    Radix4Vector(stage, block + k, k);
                }
            }

            for (; k < m; k++)
            {
                Radix4Scalar(stage, block + k, k);
            }
        }
    }

    // One radix-4 butterfly: s0 = F1·w1 in full; of s1 = F2·w2 and s2 = F3·w3 only the imaginary
    // parts are formed, their real parts stay as two products each (a2 − b2, c3 − d3) and are folded
    // into the sums. This is kissfft's kf_bfly4 as the reference binary evaluates it.
    private void Radix4Scalar(Stage stage, int i0, int k)
    {
        ref float re = ref MemoryMarshal.GetArrayDataReference(_re);
        ref float im = ref MemoryMarshal.GetArrayDataReference(_im);
        int m = stage.M, i1 = i0 + m, i2 = i1 + m, i3 = i2 + m;
        float w1r = stage.W1Re[k], w1i = stage.W1Im[k];
        float w2r = stage.W2Re[k], w2i = stage.W2Im[k];
        float w3r = stage.W3Re[k], w3i = stage.W3Im[k];
        float f1r = Unsafe.Add(ref re, i1), f1i = Unsafe.Add(ref im, i1);
        float f2r = Unsafe.Add(ref re, i2), f2i = Unsafe.Add(ref im, i2);
        float f3r = Unsafe.Add(ref re, i3), f3i = Unsafe.Add(ref im, i3);
        float f0r = Unsafe.Add(ref re, i0), f0i = Unsafe.Add(ref im, i0);

        float s0r = (f1r * w1r) - (f1i * w1i);
        float s0i = (f1i * w1r) + (f1r * w1i);
        float a2 = f2r * w2r, b2 = f2i * w2i;
        float s1i = (f2i * w2r) + (f2r * w2i);
        float c3 = f3r * w3r, d3 = f3i * w3i;
        float s2i = (f3i * w3r) + (f3r * w3i);

        float sumR = (f0r + a2) - b2;          // F0 + s1
        float sumI = f0i + s1i;
        float s5r = (f0r + b2) - a2;           // F0 − s1
        float s5i = f0i - s1i;
        float s3r = (s0r - d3) + c3;           // s0 + s2
        float s3i = s2i + s0i;
        float s4r = (s0r - c3) + d3;           // s0 − s2 (real part)

        Unsafe.Add(ref re, i2) = sumR - s3r;
        Unsafe.Add(ref im, i2) = sumI - s3i;
        Unsafe.Add(ref re, i0) = s3r + sumR;
        Unsafe.Add(ref im, i0) = s3i + sumI;
        Unsafe.Add(ref re, i1) = (s5r + s0i) - s2i;   // s5.r + s4.i
        Unsafe.Add(ref im, i1) = s5i - s4r;
        Unsafe.Add(ref re, i3) = (s5r + s2i) - s0i;   // s5.r − s4.i
        Unsafe.Add(ref im, i3) = s4r + s5i;
    }

    // Four consecutive butterflies (k .. k+3) of one block, lane for lane the scalar expression above.
    private void Radix4Vector(Stage stage, int i0, int k)
    {
        ref float re = ref MemoryMarshal.GetArrayDataReference(_re);
        ref float im = ref MemoryMarshal.GetArrayDataReference(_im);
        int m = stage.M;
        nuint n0 = (nuint)i0, n1 = (nuint)(i0 + m), n2 = (nuint)(i0 + (2 * m)), n3 = (nuint)(i0 + (3 * m)), nk = (nuint)k;
        var w1r = Vector128.LoadUnsafe(ref MemoryMarshal.GetArrayDataReference(stage.W1Re), nk);
        var w1i = Vector128.LoadUnsafe(ref MemoryMarshal.GetArrayDataReference(stage.W1Im), nk);
        var w2r = Vector128.LoadUnsafe(ref MemoryMarshal.GetArrayDataReference(stage.W2Re), nk);
        var w2i = Vector128.LoadUnsafe(ref MemoryMarshal.GetArrayDataReference(stage.W2Im), nk);
        var w3r = Vector128.LoadUnsafe(ref MemoryMarshal.GetArrayDataReference(stage.W3Re), nk);
        var w3i = Vector128.LoadUnsafe(ref MemoryMarshal.GetArrayDataReference(stage.W3Im), nk);
        var f0r = Vector128.LoadUnsafe(ref re, n0);
        var f0i = Vector128.LoadUnsafe(ref im, n0);
        var f1r = Vector128.LoadUnsafe(ref re, n1);
        var f1i = Vector128.LoadUnsafe(ref im, n1);
        var f2r = Vector128.LoadUnsafe(ref re, n2);
        var f2i = Vector128.LoadUnsafe(ref im, n2);
        var f3r = Vector128.LoadUnsafe(ref re, n3);
        var f3i = Vector128.LoadUnsafe(ref im, n3);

        var s0r = (f1r * w1r) - (f1i * w1i);
        var s0i = (f1i * w1r) + (f1r * w1i);
        var a2 = f2r * w2r;
        var b2 = f2i * w2i;
        var s1i = (f2i * w2r) + (f2r * w2i);
        var c3 = f3r * w3r;
        var d3 = f3i * w3i;
        var s2i = (f3i * w3r) + (f3r * w3i);

        var sumR = (f0r + a2) - b2;
        var sumI = f0i + s1i;
        var s5r = (f0r + b2) - a2;
        var s5i = f0i - s1i;
        var s3r = (s0r - d3) + c3;
        var s3i = s2i + s0i;
        var s4r = (s0r - c3) + d3;

        (sumR - s3r).StoreUnsafe(ref re, n2);
        (sumI - s3i).StoreUnsafe(ref im, n2);
        (s3r + sumR).StoreUnsafe(ref re, n0);
        (s3i + sumI).StoreUnsafe(ref im, n0);
        ((s5r + s0i) - s2i).StoreUnsafe(ref re, n1);
        (s5i - s4r).StoreUnsafe(ref im, n1);
        ((s5r + s2i) - s0i).StoreUnsafe(ref re, n3);
        (s4r + s5i).StoreUnsafe(ref im, n3);
    }

    // Untangles the n/2-point complex transform of the even/odd-packed signal into the real spectrum:
    // X[k] = (f1 + f2·w)/2 and X[n−k] = conj(f1 − f2·w)/2, real parts regrouped as compiled.
    private void SplitRealSpectrum(Span<float> real, Span<float> imaginary)
    {
        ref float re = ref MemoryMarshal.GetArrayDataReference(_re);
        ref float im = ref MemoryMarshal.GetArrayDataReference(_im);
        ref float swRe = ref MemoryMarshal.GetArrayDataReference(_plan.SuperTwiddleRe);
        ref float swIm = ref MemoryMarshal.GetArrayDataReference(_plan.SuperTwiddleIm);
        ref float outRe = ref MemoryMarshal.GetReference(real);
        ref float outIm = ref MemoryMarshal.GetReference(imaginary);
        int n = _re.Length;
        outRe = re + im;
        outIm = 0;
        for (int k = 1; k <= n / 2; k++)
        {
            float reK = Unsafe.Add(ref re, k), imK = Unsafe.Add(ref im, k);
            float reNk = Unsafe.Add(ref re, n - k), imNk = Unsafe.Add(ref im, n - k);
            float wr = Unsafe.Add(ref swRe, k), wi = Unsafe.Add(ref swIm, k);
            float f1R = reNk + reK;
            float f2R = reK - reNk;
            float f2I = imNk + imK;
            float twI = (wr * f2I) + (f2R * wi);
            float pR = f2R * wr, qR = f2I * wi;

            Unsafe.Add(ref outRe, k) = ((f1R + pR) - qR) * 0.5f;
            Unsafe.Add(ref outIm, k) = ((imK - imNk) + twI) * 0.5f;
            Unsafe.Add(ref outRe, n - k) = ((f1R + qR) - pR) * 0.5f;
            Unsafe.Add(ref outIm, n - k) = ((imNk - imK) + twI) * 0.5f;
        }

        Unsafe.Add(ref outRe, n) = re - im;
        Unsafe.Add(ref outIm, n) = 0;
    }

    /// <summary>One stage of butterflies: radix, sub-transform length m and its twiddles per k.</summary>
    private sealed record Stage(int Radix, int M, float[] W1Re, float[] W1Im, float[] W2Re, float[] W2Im, float[] W3Re, float[] W3Im);

    /// <summary>Decimation order, stages and twiddles for one complex length, shared by all instances.</summary>
    private sealed class Plan
    {
        private static readonly ConcurrentDictionary<int, Plan> Cache = new();

        private Plan(int points)
        {
            // Twiddles as kissfft builds them: double-precision angle, rounded to float once.
            var twRe = new float[points];
            var twIm = new float[points];
            for (int i = 0; i < points; i++)
            {
                double phase = -2.0 * Math.PI * i / points;
                twRe[i] = (float)Math.Cos(phase);
                twIm[i] = (float)Math.Sin(phase);
            }

            SuperTwiddleRe = new float[points];
            SuperTwiddleIm = new float[points];
            for (int i = 0; i < points; i++)
            {
                double phase = -Math.PI * (((double)i / points) + 0.5);
                SuperTwiddleRe[i] = (float)Math.Cos(phase);
                SuperTwiddleIm[i] = (float)Math.Sin(phase);
            }

            // Radix 4 while it divides, then radix 2 (a power of two leaves nothing else), outermost first.
            var radices = new List<int>();
            for (int rest = points; rest > 1;)
            {
                int p = rest % 4 == 0 ? 4 : 2;
                radices.Add(p);
                rest /= p;
            }

            InputOrder = new int[points];
            Decimate(radices, 0, 0, 0, 1, points);

            // Stages run innermost first; stage s (from the outside) has stride Π radices before it.
            var stages = new List<Stage>();
            int stride = 1, length = points;
            foreach (int p in radices)
            {
                int m = length / p;
                stages.Add(MakeStage(p, m, stride, twRe, twIm));
                stride *= p;
                length = m;
            }

            stages.Reverse();
            Stages = [.. stages];
        }

        public int[] InputOrder { get; }

        public Stage[] Stages { get; }

        public float[] SuperTwiddleRe { get; }

        public float[] SuperTwiddleIm { get; }

        public static Plan For(int points) => Cache.GetOrAdd(points, static p => new Plan(p));

        private static Stage MakeStage(int p, int m, int stride, float[] twRe, float[] twIm)
        {
            float[] Take(float[] table, int multiple)
            {
                var taken = new float[m];
                for (int k = 0; k < m; k++)
                {
                    taken[k] = table[multiple * k * stride];
                }

                return taken;
            }

            return p == 4
                ? new Stage(4, m, Take(twRe, 1), Take(twIm, 1), Take(twRe, 2), Take(twIm, 2), Take(twRe, 3), Take(twIm, 3))
                : new Stage(2, m, Take(twRe, 1), Take(twIm, 1), [], [], [], []);
        }

        // kissfft's recursion: the sub-transform at 'output' of length 'length' reads the inputs
        // taken every 'stride' points from 'input'; at the innermost level the points are copied.
        private void Decimate(List<int> radices, int level, int output, int input, int stride, int length)
        {
            int p = radices[level];
            int m = length / p;
            for (int q = 0; q < p; q++)
            {
                if (m == 1)
                {
                    InputOrder[output + q] = input + (q * stride);
                }
                else
                {
                    Decimate(radices, level + 1, output + (q * m), input + (q * stride), stride * p, m);
                }
            }
        }
    }
}
