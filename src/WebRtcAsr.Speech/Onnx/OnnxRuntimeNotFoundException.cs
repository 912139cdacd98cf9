namespace WebRtcAsr.Speech.Onnx;

/// <summary>The ONNX Runtime native library (libonnxruntime.so.1) could not be found or loaded.</summary>
public sealed class OnnxRuntimeNotFoundException : OnnxRuntimeException
{
    public OnnxRuntimeNotFoundException()
    {
    }

    public OnnxRuntimeNotFoundException(string message)
        : base(message)
    {
    }

    public OnnxRuntimeNotFoundException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
