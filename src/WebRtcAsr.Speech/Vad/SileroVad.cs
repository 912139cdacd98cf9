using WebRtcAsr.Speech.Onnx;

namespace WebRtcAsr.Speech.Vad;

/// <summary>
/// Silero VAD for one stream: feed consecutive 512-sample windows of 16 kHz audio, get each one's
/// speech probability. Carries the recurrent state and the 64-sample context from window to window
/// exactly as upstream's OnnxWrapper does (context = the last 64 samples of the previous window, zero
/// at the start). Its tensors are made once, so a window allocates nothing managed. Not thread-safe:
/// one owner per stream.
/// </summary>
public sealed class SileroVad : IDisposable
{
    private const int InputLength = SileroVadModel.ContextSamples + SileroVadModel.WindowSamples;

    private readonly OnnxRunPlan _plan;
    private readonly OnnxTensor<float> _input;
    private readonly OnnxTensor<float> _stateA;
    private readonly OnnxTensor<float> _stateB;
    private readonly OnnxTensor<long> _sr;
    private readonly OnnxTensor<float> _probability;

    // The state ping-pongs between two tensors (the run reads one and writes the other) so that
    // ONNX Runtime never reads and writes the same buffer in one run.
    private readonly OnnxValue[] _inputsFromA;
    private readonly OnnxValue[] _outputsToB;
    private readonly OnnxValue[] _inputsFromB;
    private readonly OnnxValue[] _outputsToA;
    private bool _stateInA = true;

    internal SileroVad(SileroVadModel model)
    {
        _plan = model.Plan;
        _input = new OnnxTensor<float>([1, InputLength]);
        _stateA = new OnnxTensor<float>([2, 1, SileroVadModel.StateSize]);
        _stateB = new OnnxTensor<float>([2, 1, SileroVadModel.StateSize]);
        _sr = new OnnxTensor<long>(model.SrIsScalar ? [] : [1]);
        _sr.Span[0] = SileroVadModel.SampleRate;
        _probability = new OnnxTensor<float>([1, 1]);
        _inputsFromA = [_input, _stateA, _sr];
        _outputsToB = [_probability, _stateB];
        _inputsFromB = [_input, _stateB, _sr];
        _outputsToA = [_probability, _stateA];
    }

    /// <summary>Windows run since creation or the last <see cref="Reset"/>.</summary>
    public long WindowsProcessed { get; private set; }

    /// <summary>Windows that held NaN or infinity (taken as zero).</summary>
    public long NonFiniteWindows { get; private set; }

    /// <summary>
    /// Runs one window of exactly <see cref="SileroVadModel.WindowSamples"/> samples (16 kHz, float in [-1, 1])
    /// and returns its speech probability in [0, 1]. NaN and infinite samples are taken as zero, so
    /// one bad window does not poison the stream's state.
    /// </summary>
    public float Process(ReadOnlySpan<float> window)
    {
        if (window.Length != SileroVadModel.WindowSamples)
        {
            throw new ArgumentException($"Silero VAD takes windows of {SileroVadModel.WindowSamples} samples at 16 kHz; {window.Length} were given.", nameof(window));
        }
        Span<float> input = _input.Span;
        Span<float> fresh = input[SileroVadModel.ContextSamples..];
        window.CopyTo(fresh);
        // A NaN or infinity (a decoder fault) would sway the model and could stay in its recurrent
        // state for the rest of the stream: such samples are taken as silence.
        bool finite = true;
        for (int i = 0; i < fresh.Length; i++)
        {
            if (!float.IsFinite(fresh[i]))
            {
                fresh[i] = 0f;
                finite = false;
            }
        }
        if (!finite) NonFiniteWindows++;
        if (_stateInA) _plan.Run(_inputsFromA, _outputsToB);
        else _plan.Run(_inputsFromB, _outputsToA);
        _stateInA = !_stateInA;

        // The next window's context is this window's tail.
        input[^SileroVadModel.ContextSamples..].CopyTo(input);
        WindowsProcessed++;
        float probability = _probability.Span[0];
        if (float.IsFinite(probability)) return probability;
        ClearState();   // never expected from finite input; start afresh rather than carry it on
        return 0f;
    }

    /// <summary>Zeroes the state and the context: the next window starts a new stream.</summary>
    public void Reset()
    {
        ClearState();
        WindowsProcessed = 0;
        NonFiniteWindows = 0;
    }

    /// <summary>
    /// Starts the recurrent state afresh from <paramref name="recentAudio"/> (whole windows, the stream's
    /// latest audio): what the model remembers of earlier audio, its level above all, is forgotten, and
    /// the state is as if the stream had begun with that audio. The probabilities are not returned.
    /// </summary>
    public void Rewarm(ReadOnlySpan<float> recentAudio)
    {
        if (recentAudio.Length % SileroVadModel.WindowSamples != 0)
        {
            throw new ArgumentException($"takes whole windows of {SileroVadModel.WindowSamples} samples; {recentAudio.Length} were given.", nameof(recentAudio));
        }
        ClearState();
        for (int i = 0; i < recentAudio.Length; i += SileroVadModel.WindowSamples)
        {
            Process(recentAudio.Slice(i, SileroVadModel.WindowSamples));
        }
        Rewarms++;
    }

    /// <summary>Times <see cref="Rewarm"/> ran.</summary>
    public long Rewarms { get; private set; }

    private void ClearState()
    {
        _input.Span.Clear();
        _stateA.Span.Clear();
        _stateB.Span.Clear();
        _stateInA = true;
    }

    public void Dispose()
    {
        _input.Dispose();
        _stateA.Dispose();
        _stateB.Dispose();
        _sr.Dispose();
        _probability.Dispose();
    }
}
