using WebRtcAsr.Speech.Onnx;

namespace WebRtcAsr.Speech.Transducer;

/// <summary>
/// Decoder and joiner on ONNX Runtime, with input and output tensors preallocated per row count on first
/// use and reused afterwards, so that steady-state decoding allocates nothing. Not thread-safe.
/// </summary>
internal sealed class OnnxTransducerPredictor : ITransducerPredictor, IDisposable
{
    private readonly TransducerModel model;
    private readonly OnnxRunPlan decoderPlan;
    private readonly OnnxRunPlan joinerPlan;
    private RowBuffers?[] byRows = new RowBuffers?[17];

    public OnnxTransducerPredictor(TransducerModel model)
    {
        this.model = model;
        decoderPlan = model.Decoder.CreateRunPlan([model.Decoder.Inputs[0].Name], [model.Decoder.Outputs[0].Name]);
        joinerPlan = model.Joiner.CreateRunPlan([model.Joiner.Inputs[0].Name, model.Joiner.Inputs[1].Name], [model.Joiner.Outputs[0].Name]);
    }

    public int ContextSize => model.ContextSize;

    public int VocabSize => model.VocabSize;

    public int EncoderDim => model.EncoderDim;

    public int DecoderDim => model.DecoderDim;

    public void RunDecoder(ReadOnlySpan<long> contexts, int rows, Span<float> decoderOut)
    {
        var b = Buffers(rows);
        contexts[..(rows * ContextSize)].CopyTo(b.Context.Span);
        decoderPlan.Run(b.DecoderInputs, b.DecoderOutputs);
        b.DecoderOut.Span.CopyTo(decoderOut);
    }

    public void RunJoiner(ReadOnlySpan<float> encoderFrames, ReadOnlySpan<float> decoderOut, int rows, Span<float> logits)
    {
        var b = Buffers(rows);
        encoderFrames[..(rows * EncoderDim)].CopyTo(b.JoinerEncoder.Span);
        decoderOut[..(rows * DecoderDim)].CopyTo(b.JoinerDecoder.Span);
        joinerPlan.Run(b.JoinerInputs, b.JoinerOutputs);
        b.Logits.Span.CopyTo(logits);
    }

    public void Dispose()
    {
        foreach (var b in byRows)
        {
            b?.Dispose();
        }
    }

    private RowBuffers Buffers(int rows)
    {
        if (rows >= byRows.Length)
        {
            Array.Resize(ref byRows, Math.Max(rows + 1, byRows.Length * 2));
        }

        return byRows[rows] ??= new RowBuffers(rows, ContextSize, EncoderDim, DecoderDim, VocabSize);
    }

    private sealed class RowBuffers : IDisposable
    {
        public RowBuffers(int rows, int context, int encoderDim, int decoderDim, int vocab)
        {
            Context = new OnnxTensor<long>([rows, context]);
            DecoderOut = new OnnxTensor<float>([rows, decoderDim]);
            JoinerEncoder = new OnnxTensor<float>([rows, encoderDim]);
            JoinerDecoder = new OnnxTensor<float>([rows, decoderDim]);
            Logits = new OnnxTensor<float>([rows, vocab]);
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
