using WebRtcAsr.Speech.Onnx;

namespace WebRtcAsr.Server.Configuration;

/// <summary>Reads the ExecutionProvider setting.</summary>
public static class ExecutionProviders
{
    public static bool TryParse(string? text, out ExecutionProviderKind kind)
    {
        switch (text?.Trim().ToUpperInvariant())
        {
            case "CPU":
                kind = ExecutionProviderKind.Cpu;
                return true;
            case "CUDA":
                kind = ExecutionProviderKind.Cuda;
                return true;
            case "AUTO":
                kind = ExecutionProviderKind.Auto;
                return true;
            default:
                kind = ExecutionProviderKind.Cpu;
                return false;
        }
    }
}
