using WebRtcAsr.Speech.Onnx;

namespace WebRtcAsr.Speech.Transducer;

/// <summary>
/// Decoder and joiner on ONNX Runtime. Inputs and outputs live in pinned arrays sized for the most rows seen;
/// per row count, tensors viewing their prefixes are made on first use and reused, so steady-state decoding
/// allocates nothing. Not thread-safe.
/// </summary>
internal sealed class OnnxTransducerPredictor : ITransducerPredictor, IDisposable
{
    private readonly TransducerModel model;
    private readonly OnnxRunPlan decoderPlan;
    private readonly OnnxRunPlan joinerPlan;
    private int capacity;
    private long[] context = [];
    private float[] decoderOut = [];
    private float[] joinerEncoder = [];
    private float[] joinerDecoder = [];
    private float[] logits = [];
    private RowTensors?[] byRows = [];

    public OnnxTransducerPredictor(TransducerModel model, int initialRows)
    {
        this.model = model;
        decoderPlan = model.Decoder.CreateRunPlan([model.Decoder.Inputs[0].Name], [model.Decoder.Outputs[0].Name]);
        joinerPlan = model.Joiner.CreateRunPlan([model.Joiner.Inputs[0].Name, model.Joiner.Inputs[1].Name], [model.Joiner.Outputs[0].Name]);
        Reserve(Math.Max(1, initialRows));
    }

    public int ContextSize => model.ContextSize;

    public int VocabSize => model.VocabSize;

    public int EncoderDim => model.EncoderDim;

    public int DecoderDim => model.DecoderDim;

    public void RunDecoder(ReadOnlySpan<long> contexts, int rows, Span<float> decoderOut)
    {
        var t = Tensors(rows);
        contexts[..(rows * ContextSize)].CopyTo(t.Context.Span);
        decoderPlan.Run(t.DecoderInputs, t.DecoderOutputs);
        t.DecoderOut.Span.CopyTo(decoderOut);
    }

    public void RunJoiner(ReadOnlySpan<float> encoderFrames, ReadOnlySpan<float> decoderOut, int rows, Span<float> logits)
    {
        var t = Tensors(rows);
        encoderFrames[..(rows * EncoderDim)].CopyTo(t.JoinerEncoder.Span);
        decoderOut[..(rows * DecoderDim)].CopyTo(t.JoinerDecoder.Span);
        joinerPlan.Run(t.JoinerInputs, t.JoinerOutputs);
        t.Logits.Span.CopyTo(logits);
    }

    /// <summary>Makes the tensors for every row count up to <paramref name="rows"/> now, so that none is made while decoding.</summary>
    public void Reserve(int rows)
    {
        if (rows > capacity)
        {
            foreach (var t in byRows)
            {
                t?.Dispose();
            }

            capacity = Math.Max(rows, capacity * 2);
            context = GC.AllocateArray<long>(capacity * ContextSize, pinned: true);
            decoderOut = GC.AllocateArray<float>(capacity * DecoderDim, pinned: true);
            joinerEncoder = GC.AllocateArray<float>(capacity * EncoderDim, pinned: true);
            joinerDecoder = GC.AllocateArray<float>(capacity * DecoderDim, pinned: true);
            logits = GC.AllocateArray<float>(capacity * VocabSize, pinned: true);
            byRows = new RowTensors?[capacity + 1];
        }

        for (var r = 1; r <= rows; r++)
        {
            Tensors(r);
        }
    }

    public void Dispose()
    {
        foreach (var t in byRows)
        {
            t?.Dispose();
        }
    }

    private RowTensors Tensors(int rows)
    {
        if (rows > capacity)
        {
            Reserve(rows);
        }

        return byRows[rows] ??= new RowTensors(this, rows);
    }

    private sealed class RowTensors : IDisposable
    {
        public RowTensors(OnnxTransducerPredictor p, int rows)
        {
            Context = new OnnxTensor<long>(p.context.AsMemory(0, rows * p.ContextSize), [rows, p.ContextSize]);
            DecoderOut = new OnnxTensor<float>(p.decoderOut.AsMemory(0, rows * p.DecoderDim), [rows, p.DecoderDim]);
            JoinerEncoder = new OnnxTensor<float>(p.joinerEncoder.AsMemory(0, rows * p.EncoderDim), [rows, p.EncoderDim]);
            JoinerDecoder = new OnnxTensor<float>(p.joinerDecoder.AsMemory(0, rows * p.DecoderDim), [rows, p.DecoderDim]);
            Logits = new OnnxTensor<float>(p.logits.AsMemory(0, rows * p.VocabSize), [rows, p.VocabSize]);
            DecoderInputs = [Context];
            DecoderOutputs = [DecoderOut];
            JoinerInputs = [JoinerEncoder, JoinerDecoder];
            JoinerOutputs = [Logits];
        }

        public OnnxTensor<long> Context { get; }

        public OnnxTensor<float> DecoderOut { get; }

        public OnnxTensor<float> JoinerEncoder { get; }

        public OnnxTensor<float> JoinerDecoder { get; }

        public OnnxTensor<float> Logits { get; }

        public OnnxValue[] DecoderInputs { get; }

        public OnnxValue[] DecoderOutputs { get; }

        public OnnxValue[] JoinerInputs { get; }

        public OnnxValue[] JoinerOutputs { get; }

        public void Dispose()
        {
            Context.Dispose();
            DecoderOut.Dispose();
            JoinerEncoder.Dispose();
            JoinerDecoder.Dispose();
            Logits.Dispose();
        }
    }
}
