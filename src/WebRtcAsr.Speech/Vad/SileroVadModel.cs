using Microsoft.Extensions.Logging;
using WebRtcAsr.Speech.Onnx;

namespace WebRtcAsr.Speech.Vad;

/// <summary>
/// The Silero VAD v5 model (MIT, snakers4/silero-vad), loaded once per process and shared by every
/// stream: each stream gets its own <see cref="SileroVad"/> with its own state and tensors.
/// The file's interface, checked at load: inputs <c>input</c> float [N, 64 + 512] (the previous window's
/// last 64 samples, then the new 512), <c>state</c> float [2, N, 128], <c>sr</c> int64 scalar (16000);
/// outputs <c>output</c> float [N, 1] (speech probability) and <c>stateN</c> float [2, N, 128].
/// </summary>
public sealed class SileroVadModel : IDisposable
{
    /// <summary>The only sample rate this wrapper feeds the model (the model also knows 8000; the server resamples to 16 kHz).</summary>
    public const int SampleRate = 16000;

    /// <summary>New samples per model run at 16 kHz: 32 ms.</summary>
    public const int WindowSamples = 512;

    /// <summary>Samples of the previous window put in front of each new one, as upstream's OnnxWrapper does at 16 kHz.</summary>
    public const int ContextSamples = 64;

    /// <summary>Size of the recurrent state per stream and layer.</summary>
    public const int StateSize = 128;

    private readonly OnnxSession _session;

    private SileroVadModel(OnnxSession session, bool srIsScalar)
    {
        _session = session;
        SrIsScalar = srIsScalar;
        Plan = session.CreateRunPlan(["input", "state", "sr"], ["output", "stateN"]);
    }

    /// <summary>Full path of the model file.</summary>
    public string ModelPath => _session.ModelPath;

    /// <summary>The shared run plan; each stream runs it with its own tensors.</summary>
    internal OnnxRunPlan Plan { get; }

    /// <summary>Whether <c>sr</c> is declared as a scalar (shape []) rather than shape [1].</summary>
    internal bool SrIsScalar { get; }

    /// <summary>
    /// Loads the model from <paramref name="modelPath"/>, or from where <see cref="SileroVadModelLocator"/>
    /// finds it. A file whose inputs and outputs are not Silero VAD v5's gives an
    /// <see cref="OnnxRuntimeException"/> that says what was found.
    /// </summary>
    public static SileroVadModel Load(string? modelPath = null, OnnxSessionOptions? options = null, ILogger? logger = null)
    {
        string path = modelPath ?? SileroVadModelLocator.Locate();
        OnnxSession session = OnnxSession.Load(path, options ?? new OnnxSessionOptions(), logger);
        try
        {
            bool srIsScalar = CheckInterface(session);
            return new SileroVadModel(session, srIsScalar);
        }
        catch
        {
            session.Dispose();
            throw;
        }
    }

    /// <summary>A new per-stream detector over this model, with zeroed state.</summary>
    public SileroVad CreateStream() => new(this);

    public void Dispose() => _session.Dispose();

    /// <summary>Checks the v5 interface; returns whether <c>sr</c> is a scalar.</summary>
    private static bool CheckInterface(OnnxSession session)
    {
        OnnxTensorInfo? input = Find(session.Inputs, "input");
        OnnxTensorInfo? state = Find(session.Inputs, "state");
        OnnxTensorInfo? sr = Find(session.Inputs, "sr");
        OnnxTensorInfo? output = Find(session.Outputs, "output");
        OnnxTensorInfo? stateN = Find(session.Outputs, "stateN");
        bool ok =
            session.Inputs.Count == 3 && session.Outputs.Count == 2 &&
            input is { ElementType: OnnxElementType.Float, Shape.Length: 2 } &&
            state is { ElementType: OnnxElementType.Float, Shape.Length: 3 } &&
            DimIs(state.Shape[0], 2) && DimIs(state.Shape[2], StateSize) &&
            sr is { ElementType: OnnxElementType.Int64, Shape.Length: <= 1 } &&
            output is { ElementType: OnnxElementType.Float, Shape.Length: 2 } &&
            stateN is { ElementType: OnnxElementType.Float, Shape.Length: 3 };
        if (!ok)
        {
            static string List(IReadOnlyList<OnnxTensorInfo> infos) => string.Join(", ", infos.Select(i => $"{i.Name}: {i.Describe()}"));
            throw new OnnxRuntimeException(
                $"'{session.ModelPath}' is not a Silero VAD v5 model: expected inputs input: Float [N, 576], state: Float [2, N, {StateSize}], " +
                $"sr: Int64 scalar and outputs output: Float [N, 1], stateN: Float [2, N, {StateSize}]; " +
                $"found inputs {List(session.Inputs)} and outputs {List(session.Outputs)}.",
                session.ModelPath);
        }
        return sr!.Shape.Length == 0;
    }

    private static OnnxTensorInfo? Find(IReadOnlyList<OnnxTensorInfo> infos, string name) =>
        infos.FirstOrDefault(i => i.Name == name);

    private static bool DimIs(long declared, long size) => declared == -1 || declared == size;
}
