namespace WebRtcAsr.Speech.Onnx;

/// <summary>How a model is loaded and run. The defaults suit a server that shares few cores: one thread, no spinning.</summary>
public sealed record OnnxSessionOptions
{
    /// <summary>Threads one Run may use inside an operator (0 = ONNX Runtime's default, one per core).</summary>
    public int IntraOpThreads { get; init; } = 1;

    /// <summary>Threads that run independent operators in parallel (0 = ONNX Runtime's default).</summary>
    public int InterOpThreads { get; init; } = 1;

    public GraphOptimization Optimization { get; init; } = GraphOptimization.All;

    public ExecutionProviderKind Provider { get; init; } = ExecutionProviderKind.Cpu;

    /// <summary>The GPU to use when the CUDA execution provider is chosen.</summary>
    public int CudaDeviceId { get; init; }

    /// <summary>
    /// Whether ONNX Runtime's pool threads busy-wait for work between operators. Off by default: spinning
    /// buys a little latency with whole cores, and the cores here are shared with the media path.
    /// </summary>
    public bool AllowSpinning { get; init; }
}
