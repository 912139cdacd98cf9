using System.Runtime.InteropServices;
using WebRtcAsr.Speech.Onnx;

namespace WebRtcAsr.Speech.Transducer;

/// <summary>
/// Preallocated encoder inputs and outputs for one batch size, reused by every call of that size so that a
/// steady-state chunk allocates nothing: features, stacked states in, states out, encoder output.
/// </summary>
internal sealed class EncoderBatchBuffers : IDisposable
{
    private readonly OnnxValue[] inputs;
    private readonly OnnxValue[] outputs;

    public EncoderBatchBuffers(TransducerModel model, int batchSize)
    {
        BatchSize = batchSize;
        var layout = model.StateLayout;
        inputs = new OnnxValue[1 + layout.Count];
        outputs = new OnnxValue[1 + layout.Count];
        Features = new OnnxTensor<float>([batchSize, model.ChunkSize, model.FeatureDim]);
        EncoderOut = new OnnxTensor<float>([batchSize, model.EncoderFramesPerChunk, model.EncoderDim]);
        inputs[0] = Features;
        outputs[0] = EncoderOut;
        for (var i = 0; i < layout.Count; i++)
        {
            inputs[i + 1] = CreateTensor(layout[i], batchSize);
            outputs[i + 1] = CreateTensor(layout[i], batchSize);
        }
    }

    public int BatchSize { get; }

    public OnnxTensor<float> Features { get; }

    public OnnxTensor<float> EncoderOut { get; }

    public ReadOnlySpan<OnnxValue> Inputs => inputs;

    public ReadOnlySpan<OnnxValue> Outputs => outputs;

    public Span<byte> StateIn(int index) => Bytes(inputs[index + 1]);

    public Span<byte> StateOut(int index) => Bytes(outputs[index + 1]);

    public static OnnxValue CreateTensor(EncoderStateTensor state, int batchSize)
    {
        var shape = state.BatchShape(batchSize);
        return state.ElementType switch
        {
            OnnxElementType.Float => new OnnxTensor<float>(shape),
            OnnxElementType.Int64 => new OnnxTensor<long>(shape),
            OnnxElementType.Int32 => new OnnxTensor<int>(shape),
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
        foreach (var v in inputs)
        {
            v.Dispose();
        }

        foreach (var v in outputs)
        {
            v.Dispose();
        }
    }
}
