using WebRtcAsr.Speech.Onnx;

namespace WebRtcAsr.Speech.Transducer;

/// <summary>The encoder's input and output tensors for one batch size, viewing the shared buffers.</summary>
internal sealed class EncoderBatchView : IDisposable
{
    private readonly OnnxValue[] inputs;
    private readonly OnnxValue[] outputs;

    public EncoderBatchView(TransducerModel model, int batchSize, float[] features, float[] encoderOut, Array[] stateIn, Array[] stateOut)
    {
        var layout = model.StateLayout;
        inputs = new OnnxValue[1 + layout.Count];
        outputs = new OnnxValue[1 + layout.Count];
        Features = new OnnxTensor<float>(features.AsMemory(0, batchSize * model.ChunkSize * model.FeatureDim), [batchSize, model.ChunkSize, model.FeatureDim]);
        EncoderOut = new OnnxTensor<float>(encoderOut.AsMemory(0, batchSize * model.EncoderFramesPerChunk * model.EncoderDim), [batchSize, model.EncoderFramesPerChunk, model.EncoderDim]);
        inputs[0] = Features;
        outputs[0] = EncoderOut;
        for (var i = 0; i < layout.Count; i++)
        {
            inputs[i + 1] = EncoderBatchBuffers.View(stateIn[i], layout[i], batchSize);
            outputs[i + 1] = EncoderBatchBuffers.View(stateOut[i], layout[i], batchSize);
        }
    }

    public OnnxTensor<float> Features { get; }

    public OnnxTensor<float> EncoderOut { get; }

    public ReadOnlySpan<OnnxValue> Inputs => inputs;

    public ReadOnlySpan<OnnxValue> Outputs => outputs;

    public Span<byte> StateIn(int index) => EncoderBatchBuffers.Bytes(inputs[index + 1]);

    public Span<byte> StateOut(int index) => EncoderBatchBuffers.Bytes(outputs[index + 1]);

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
