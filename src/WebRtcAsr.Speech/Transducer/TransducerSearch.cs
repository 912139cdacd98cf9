namespace WebRtcAsr.Speech.Transducer;

/// <summary>
/// A search over joiner outputs (greedy or modified beam), for a batch of streams that share one encoder call.
/// Scratch buffers grow to the largest batch seen and are reused; not thread-safe.
/// </summary>
internal abstract class TransducerSearch
{
    private long[] contexts = [];
    private float[] decoderOut = [];
    private float[] encoderRows = [];
    private float[] logits = [];

    protected TransducerSearch(ITransducerPredictor predictor, int unknownId)
    {
        Predictor = predictor;
        UnknownId = unknownId;
        ContextSize = predictor.ContextSize;
        VocabSize = predictor.VocabSize;
    }

    protected ITransducerPredictor Predictor { get; }

    /// <summary>Token treated like blank (sherpa-onnx does so with "&lt;unk&gt;"); -1 for none.</summary>
    protected int UnknownId { get; }

    protected int ContextSize { get; }

    protected int VocabSize { get; }

    /// <summary>A fresh state for a new stream.</summary>
    public TransducerSearchState CreateState()
    {
        var state = new TransducerSearchState();
        ResetToStart(state);
        return state;
    }

    /// <summary>Decodes <paramref name="frames"/> encoder frames of each stream; <paramref name="encoderOut"/> is (batch, frames, EncoderDim).</summary>
    public abstract void Decode(ReadOnlySpan<float> encoderOut, int frames, ReadOnlySpan<TransducerSearchState> states);

    /// <summary>The path reported as the result (sherpa-onnx: the most probable, length-normalised, for beam search).</summary>
    public abstract TransducerHypothesis Best(TransducerSearchState state);

    /// <summary>
    /// Starts the next segment after an endpoint, as sherpa-onnx does: when the segment emitted tokens, the paths
    /// keep only their last ContextSize tokens as decoder context; otherwise the stream starts over from blanks.
    /// Timestamps restart at frame 0.
    /// </summary>
    public abstract void ResetForNextSegment(TransducerSearchState state);

    protected void ResetToStart(TransducerSearchState state)
    {
        Span<long> start = stackalloc long[ContextSize];
        start.Fill(-1);
        start[^1] = 0;
        ClearHyps(state);
        var h = Rent();
        h.Start(start, 0);
        state.Hyps.Add(h);
        state.FrameOffset = 0;
        state.HasCachedDecoderOut = false;
    }

    protected virtual void ClearHyps(TransducerSearchState state) => state.Hyps.Clear();

    protected virtual TransducerHypothesis Rent() => new();

    protected Span<long> Contexts(int rows) => Grow(ref contexts, rows * ContextSize);

    protected Span<float> DecoderOut(int rows) => Grow(ref decoderOut, rows * Predictor.DecoderDim);

    protected Span<float> EncoderRows(int rows) => Grow(ref encoderRows, rows * Predictor.EncoderDim);

    protected Span<float> Logits(int rows) => Grow(ref logits, rows * VocabSize);

    protected static Span<T> Grow<T>(ref T[] buffer, int length)
    {
        if (buffer.Length < length)
        {
            buffer = new T[Math.Max(length, buffer.Length * 2)];
        }

        return buffer.AsSpan(0, length);
    }
}
