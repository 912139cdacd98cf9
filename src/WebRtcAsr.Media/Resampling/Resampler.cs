using System.Numerics;
using System.Runtime.InteropServices;

namespace WebRtcAsr.Media.Resampling;

/// <summary>
/// Streaming rational-ratio resampler: a Kaiser-windowed sinc polyphase FIR (see
/// <see cref="KaiserSincFilter"/>) with vectorised dot products. State is kept across calls, so
/// feeding a signal in any chunking gives bit-identical output to feeding it whole. Output lags
/// input by <see cref="LatencySamples"/> output samples; <see cref="Flush"/> drains the tail.
/// Equal rates pass samples through unchanged. One instance per stream; not thread-safe.
/// </summary>
public sealed class Resampler
{
    private const int BlockSize = 1024; // input samples taken into the window buffer at a time

    private readonly float[] _coefficients;
    private readonly int _tapsPerPhase;
    private readonly int _interpolation; // L: output/input reduced
    private readonly int _decimation;    // M
    private readonly int _wholeStep;     // M / L
    private readonly int _phaseStep;     // M % L
    private readonly float[] _window;    // history (taps − 1) followed by new input
    private readonly bool _identity;

    private int _count;    // valid samples in _window
    private int _newest;   // index in _window of the newest input sample of the next output
    private int _phase;    // polyphase branch of the next output
    private long _inputTotal;
    private long _outputTotal;

    /// <summary>Creates a resampler from <paramref name="inputRate"/> to <paramref name="outputRate"/> (Hz).</summary>
    public Resampler(int inputRate, int outputRate, ResamplerQuality quality = ResamplerQuality.Default)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(inputRate);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(outputRate);
        InputRate = inputRate;
        OutputRate = outputRate;
        int divisor = GreatestCommonDivisor(inputRate, outputRate);
        _interpolation = outputRate / divisor;
        _decimation = inputRate / divisor;
        if (_interpolation > KaiserSincFilter.MaxPhases)
        {
            throw new ArgumentException(
                $"Resampling {inputRate} -> {outputRate} Hz needs {_interpolation} filter phases (output/input reduced); at most {KaiserSincFilter.MaxPhases} are supported.",
                nameof(outputRate));
        }
        _wholeStep = _decimation / _interpolation;
        _phaseStep = _decimation % _interpolation;
        _identity = inputRate == outputRate;
        if (_identity)
        {
            _coefficients = [];
            _window = [];
            return;
        }
        (_coefficients, _tapsPerPhase, LatencySamples) =
            KaiserSincFilter.Design(inputRate, outputRate, _interpolation, _decimation, quality, Vector<float>.Count);
        _window = new float[_tapsPerPhase - 1 + BlockSize];
        Reset();
    }

    /// <summary>Input sample rate in Hz.</summary>
    public int InputRate { get; }

    /// <summary>Output sample rate in Hz.</summary>
    public int OutputRate { get; }

    /// <summary>Group delay in output samples (exact: the filter is centred on a whole output sample).</summary>
    public int LatencySamples { get; }

    /// <summary>FIR taps per output sample (a measure of cost).</summary>
    public int TapsPerOutput => _tapsPerPhase;

    /// <summary>The most samples <see cref="Process"/> can write for <paramref name="inputLength"/> input samples.</summary>
    public int MaxOutputLength(int inputLength)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(inputLength);
        return _identity ? inputLength : (int)(((long)inputLength * _interpolation / _decimation) + 2);
    }

    /// <summary>The most samples <see cref="Flush"/> can write.</summary>
    public int MaxFlushLength => _identity ? 0 : LatencySamples + 2;

    /// <summary>
    /// Resamples <paramref name="input"/>, writing into <paramref name="output"/> (at least
    /// <see cref="MaxOutputLength"/>(input.Length) long); returns samples written.
    /// </summary>
    public int Process(ReadOnlySpan<float> input, Span<float> output)
    {
        if (input.IsEmpty)
        {
            return 0;
        }
        if (output.Length < MaxOutputLength(input.Length))
        {
            throw new ArgumentException($"Output holds {output.Length} samples; up to {MaxOutputLength(input.Length)} may be written.", nameof(output));
        }
        if (_identity)
        {
            input.CopyTo(output);
            return input.Length;
        }
        _inputTotal += input.Length;
        int written = 0;
        while (!input.IsEmpty)
        {
            int take = Math.Min(input.Length, _window.Length - _count);
            input[..take].CopyTo(_window.AsSpan(_count));
            _count += take;
            input = input[take..];
            written += Produce(output[written..], int.MaxValue);
            Compact();
        }
        return written;
    }

    /// <summary>
    /// Ends the stream: emits the remaining outputs so that, after dropping the first
    /// <see cref="LatencySamples"/>, the total is ⌈inputSamples · outputRate / inputRate⌉; then resets.
    /// <paramref name="output"/> needs <see cref="MaxFlushLength"/> samples.
    /// </summary>
    public int Flush(Span<float> output)
    {
        if (_identity)
        {
            return 0;
        }
        long target = LatencySamples + (((_inputTotal * _interpolation) + _decimation - 1) / _decimation);
        int remaining = (int)Math.Max(0, target - _outputTotal);
        if (output.Length < remaining)
        {
            throw new ArgumentException($"Output holds {output.Length} samples; flushing writes {remaining}.", nameof(output));
        }
        int written = 0;
        while (written < remaining)
        {
            int zeros = _window.Length - _count;
            _window.AsSpan(_count, zeros).Clear();
            _count += zeros;
            written += Produce(output[written..], remaining - written);
            Compact();
        }
        Reset();
        return written;
    }

    /// <summary>Clears the history: the next input starts a new stream.</summary>
    public void Reset()
    {
        if (_identity)
        {
            return;
        }
        Array.Clear(_window);
        _count = _tapsPerPhase - 1; // zero history before the first sample
        _newest = _tapsPerPhase - 1;
        _phase = 0;
        _inputTotal = 0;
        _outputTotal = 0;
    }

    private int Produce(Span<float> output, int limit)
    {
        int written = 0;
        int taps = _tapsPerPhase;
        ReadOnlySpan<float> window = _window;
        ReadOnlySpan<float> coefficients = _coefficients;
        while (_newest < _count && written < limit)
        {
            output[written++] = Dot(window.Slice(_newest - taps + 1, taps), coefficients.Slice(_phase * taps, taps));
            _phase += _phaseStep;
            _newest += _wholeStep;
            if (_phase >= _interpolation)
            {
                _phase -= _interpolation;
                _newest++;
            }
        }
        _outputTotal += written;
        return written;
    }

    // Drops samples no future output can reach, keeping taps − 1 of history.
    private void Compact()
    {
        int keepFrom = Math.Min(_newest - (_tapsPerPhase - 1), _count);
        if (keepFrom <= 0)
        {
            return;
        }
        Array.Copy(_window, keepFrom, _window, 0, _count - keepFrom);
        _count -= keepFrom;
        _newest -= keepFrom;
    }

    private static float Dot(ReadOnlySpan<float> samples, ReadOnlySpan<float> taps)
    {
        // Both lengths are the same multiple of Vector<float>.Count (the design pads with zero taps).
        ReadOnlySpan<Vector<float>> x = MemoryMarshal.Cast<float, Vector<float>>(samples);
        ReadOnlySpan<Vector<float>> h = MemoryMarshal.Cast<float, Vector<float>>(taps);
        Vector<float> even = Vector<float>.Zero, odd = Vector<float>.Zero;
        int i = 0;
        for (; i + 1 < x.Length; i += 2)
        {
            even += x[i] * h[i];
            odd += x[i + 1] * h[i + 1];
        }
        if (i < x.Length)
        {
            even += x[i] * h[i];
        }
        return Vector.Sum(even + odd);
    }

    private static int GreatestCommonDivisor(int a, int b)
    {
        while (b != 0)
        {
            (a, b) = (b, a % b);
        }
        return a;
    }
}
