using WebRtcAsr.Speech.Onnx;

namespace WebRtcAsr.Speech.Transducer;

/// <summary>
/// One cached encoder state: its input and output names, element type, shape for a single stream, and the
/// axis along which the states of several streams are concatenated (the model's batch dimension).
/// </summary>
internal sealed class EncoderStateTensor
{
    public EncoderStateTensor(string inputName, string outputName, OnnxElementType elementType, long[] streamShape, int batchAxis)
    {
        if (streamShape[batchAxis] != 1)
        {
            throw new ArgumentException("the per-stream shape must have 1 on the batch axis", nameof(streamShape));
        }

        InputName = inputName;
        OutputName = outputName;
        ElementType = elementType;
        StreamShape = streamShape;
        BatchAxis = batchAxis;
        ElementSize = elementType switch
        {
            OnnxElementType.Float => 4,
            OnnxElementType.Int64 => 8,
            OnnxElementType.Int32 => 4,
            _ => throw new ArgumentException($"state element type {elementType} is not supported", nameof(elementType)),
        };

        long outer = 1;
        for (var i = 0; i < batchAxis; i++)
        {
            outer *= streamShape[i];
        }

        long inner = 1;
        for (var i = batchAxis + 1; i < streamShape.Length; i++)
        {
            inner *= streamShape[i];
        }

        Outer = checked((int)outer);
        InnerBytes = checked((int)(inner * ElementSize));
        StreamBytes = checked(Outer * InnerBytes);
    }

    public string InputName { get; }

    public string OutputName { get; }

    public OnnxElementType ElementType { get; }

    /// <summary>Shape with 1 on the batch axis.</summary>
    public long[] StreamShape { get; }

    public int BatchAxis { get; }

    public int ElementSize { get; }

    /// <summary>Product of the dimensions before the batch axis.</summary>
    public int Outer { get; }

    /// <summary>Bytes of one stream's slice after the batch axis.</summary>
    public int InnerBytes { get; }

    /// <summary>Bytes of this state for one stream.</summary>
    public int StreamBytes { get; }

    /// <summary>The shape for a batch of <paramref name="batchSize"/> streams.</summary>
    public long[] BatchShape(int batchSize)
    {
        var shape = (long[])StreamShape.Clone();
        shape[BatchAxis] = batchSize;
        return shape;
    }
}
