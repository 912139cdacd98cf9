using Microsoft.Extensions.Logging;

namespace WebRtcAsr.Speech.Onnx;

/// <summary>The binding's log lines.</summary>
internal static partial class OnnxLog
{
    [LoggerMessage(EventId = 3001, Level = LogLevel.Information,
        Message = "Loaded ONNX model {ModelPath} on {Provider} ({Reason}); ONNX Runtime {RuntimeVersion}, C API {ApiVersion}, threads intra-op {IntraOp} / inter-op {InterOp}")]
    public static partial void SessionLoaded(ILogger logger, string modelPath, string provider, string reason, string runtimeVersion, int apiVersion, int intraOp, int interOp);

    [LoggerMessage(EventId = 3002, Level = LogLevel.Information, Message = "Model {ModelPath}: using CPU: CUDA execution provider not available ({Detail})")]
    public static partial void CudaUnavailable(ILogger logger, string modelPath, string detail);

    [LoggerMessage(EventId = 3003, Level = LogLevel.Warning, Message = "{Note} (library: {Library})")]
    public static partial void ApiVersionFallback(ILogger logger, string note, string library);

    [LoggerMessage(EventId = 3004, Message = "onnxruntime {Category}: {Text}")]
    public static partial void Native(ILogger logger, LogLevel level, string category, string text);
}
