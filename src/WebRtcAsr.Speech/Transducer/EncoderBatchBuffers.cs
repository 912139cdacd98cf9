using System.Runtime.InteropServices;
using WebRtcAsr.Speech.Onnx;

namespace WebRtcAsr.Speech.Transducer;

/// <summary>
/// Encoder inputs and outputs for batches of up to <see cref="MaxBatchSize"/> streams: one pinned array per
/// tensor, sized for the largest batch, and per batch size a set of tensors that view the arrays' prefixes.
/// Memory is spent once for the largest batch; a steady-state chunk of any batch size allocates nothing.
/// </summary>
internal sealed class EncoderBatchBuffers : IDisposable
{
    private readonly TransducerModel model;
    private readonly float[] features;
    private readonly float[] encoderOut;
    private readonly Array[] stateIn;
    private readonly Array[] stateOut;
    private readonly EncoderBatchView?[] views;

    public EncoderBatchBuffers(TransducerModel model, int maxBatchSize)
    {
        this.model = model;
        MaxBatchSize = maxBatchSize;
        var layout = model.StateLayout;
        features = GC.AllocateArray<float>(maxBatchSize * model.ChunkSize * model.FeatureDim, pinned: true);
        encoderOut = GC.AllocateArray<float>(maxBatchSize * model.EncoderFramesPerChunk * model.EncoderDim, pinned: true);
        stateIn = new Array[layout.Count];
        stateOut = new Array[layout.Count];
        for (var i = 0; i < layout.Count; i++)
        {
            var elements = maxBatchSize * (layout[i].StreamBytes / layout[i].ElementSize);
            stateIn[i] = NewArray(layout[i].ElementType, elements);
            stateOut[i] = NewArray(layout[i].ElementType, elements);
        }

        views = new EncoderBatchView?[maxBatchSize + 1];
    }

    public int MaxBatchSize { get; }

    /// <summary>The tensors for a batch of <paramref name="batchSize"/> streams (made on first use, then reused).</summary>
    public EncoderBatchView For(int batchSize)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(batchSize, MaxBatchSize);
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        return views[batchSize] ??= new EncoderBatchView(model, batchSize, features, encoderOut, stateIn, stateOut);
    }

    public static OnnxValue CreateTensor(EncoderStateTensor state, int batchSize) =>
        View(NewArray(state.ElementType, batchSize * (state.StreamBytes / state.ElementSize)), state, batchSize);

    public static OnnxValue View(Array array, EncoderStateTensor state, int batchSize)
    {
        var shape = state.BatchShape(batchSize);
        var elements = batchSize * (state.StreamBytes / state.ElementSize);
        return array switch
        {
            float[] f => new OnnxTensor<float>(f.AsMemory(0, elements), shape),
            long[] l => new OnnxTensor<long>(l.AsMemory(0, elements), shape),
            int[] n => new OnnxTensor<int>(n.AsMemory(0, elements), shape),
            _ => throw new NotSupportedException($"state element type {state.ElementType}"),
        };
    }

    public static Span<byte> Bytes(OnnxValue value) => value switch
    {
        OnnxTensor<float> f => MemoryMarshal.AsBytes(f.Span),
        OnnxTensor<long> l => MemoryMarshal.AsBytes(l.Span),
        OnnxTensor<int> i => MemoryMarshal.AsBytes(i.Span),
        _ => throw new NotSupportedException("unsupported state tensor"),
    };

    public void Dispose()
    {
        foreach (var v in views)
        {
            v?.Dispose();
        }
    }

    private static Array NewArray(OnnxElementType type, int elements) => type switch
    {
        OnnxElementType.Float => GC.AllocateArray<float>(elements, pinned: true),
        OnnxElementType.Int64 => GC.AllocateArray<long>(elements, pinned: true),
        OnnxElementType.Int32 => GC.AllocateArray<int>(elements, pinned: true),
        _ => throw new NotSupportedException($"state element type {type}"),
    };
}
