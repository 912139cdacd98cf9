namespace WebRtcAsr.Speech.Onnx;

/// <summary>Where a session runs its model.</summary>
public enum ExecutionProviderKind
{
    /// <summary>ONNX Runtime's CPU execution provider.</summary>
    Cpu,

    /// <summary>The CUDA execution provider; loading fails with a clear error when it is not available.</summary>
    Cuda,

    /// <summary>CUDA when its provider library and a GPU are present, else CPU (logged).</summary>
    Auto,
}
