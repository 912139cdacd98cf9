namespace WebRtcAsr.Speech.Onnx;

/// <summary>Which ONNX Runtime object an <see cref="OrtHandle"/> owns, and so which Release function frees it.</summary>
internal enum OrtObjectKind
{
    Env,
    SessionOptions,
    Session,
    Value,
    TypeInfo,
    TensorTypeAndShapeInfo,
    ModelMetadata,
    MemoryInfo,
    CudaProviderOptions,
}
