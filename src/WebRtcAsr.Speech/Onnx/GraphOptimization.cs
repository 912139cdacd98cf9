namespace WebRtcAsr.Speech.Onnx;

/// <summary>How much ONNX Runtime rewrites the graph before running it.</summary>
public enum GraphOptimization
{
    None,
    Basic,
    Extended,
    All,
}
