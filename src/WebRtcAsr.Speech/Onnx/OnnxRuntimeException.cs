namespace WebRtcAsr.Speech.Onnx;

/// <summary>
/// An ONNX Runtime call failed, or the binding refused a request (wrong element type, shape or name).
/// The message says what was being done, ONNX Runtime's code and message, and the model file when one is involved.
/// </summary>
public class OnnxRuntimeException : Exception
{
    public OnnxRuntimeException()
    {
    }

    public OnnxRuntimeException(string message)
        : base(message)
    {
    }

    public OnnxRuntimeException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Makes the exception for a failed ONNX Runtime call.</summary>
    public OnnxRuntimeException(string message, OnnxErrorCode errorCode, string? modelPath = null)
        : base(message)
    {
        ErrorCode = errorCode;
        ModelPath = modelPath;
    }

    /// <summary>Makes the exception for a request the binding refused, naming the model it was about.</summary>
    public OnnxRuntimeException(string message, string? modelPath)
        : base(message)
    {
        ModelPath = modelPath;
    }

    /// <summary>ONNX Runtime's status code; null when the binding itself refused the request.</summary>
    public OnnxErrorCode? ErrorCode { get; }

    /// <summary>The model file involved, when there is one.</summary>
    public string? ModelPath { get; }
}
