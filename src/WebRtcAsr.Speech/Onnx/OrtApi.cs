using System.Runtime.InteropServices;

namespace WebRtcAsr.Speech.Onnx;

/// <summary>
/// The part of ONNX Runtime's C API function table (struct OrtApi) that this binding calls, as typed
/// function pointers. The table only ever grows at its end, so a slot keeps its index in every
/// version; the indices below are the positions in onnxruntime_c_api.h (counted from 0).
/// </summary>
internal sealed unsafe class OrtApi
{
    // Slot indices in struct OrtApi (onnxruntime_c_api.h). Tests call each of these to prove them.
    private const int SlotGetErrorCode = 1;
    private const int SlotGetErrorMessage = 2;
    private const int SlotCreateEnv = 3;
    private const int SlotCreateEnvWithCustomLogger = 4;
    private const int SlotCreateSession = 7;
    private const int SlotRun = 9;
    private const int SlotCreateSessionOptions = 10;
    private const int SlotSetSessionGraphOptimizationLevel = 23;
    private const int SlotSetIntraOpNumThreads = 24;
    private const int SlotSetInterOpNumThreads = 25;
    private const int SlotSessionGetInputCount = 30;
    private const int SlotSessionGetOutputCount = 31;
    private const int SlotSessionGetInputTypeInfo = 33;
    private const int SlotSessionGetOutputTypeInfo = 34;
    private const int SlotSessionGetInputName = 36;
    private const int SlotSessionGetOutputName = 37;
    private const int SlotCreateTensorWithDataAsOrtValue = 49;
    private const int SlotGetTensorMutableData = 51;
    private const int SlotCastTypeInfoToTensorInfo = 55;
    private const int SlotGetOnnxTypeFromTypeInfo = 56;
    private const int SlotGetTensorElementType = 60;
    private const int SlotGetDimensionsCount = 61;
    private const int SlotGetDimensions = 62;
    private const int SlotGetSymbolicDimensions = 63;
    private const int SlotGetTensorShapeElementCount = 64;
    private const int SlotGetTensorTypeAndShape = 65;
    private const int SlotGetValueType = 67;
    private const int SlotCreateCpuMemoryInfo = 69;
    private const int SlotAllocatorFree = 76;
    private const int SlotGetAllocatorWithDefaultOptions = 78;
    private const int SlotReleaseEnv = 92;
    private const int SlotReleaseStatus = 93;
    private const int SlotReleaseMemoryInfo = 94;
    private const int SlotReleaseSession = 95;
    private const int SlotReleaseValue = 96;
    private const int SlotReleaseTypeInfo = 98;
    private const int SlotReleaseTensorTypeAndShapeInfo = 99;
    private const int SlotReleaseSessionOptions = 100;
    private const int SlotSessionGetModelMetadata = 111;
    private const int SlotModelMetadataGetProducerName = 112;
    private const int SlotModelMetadataGetGraphName = 113;
    private const int SlotModelMetadataGetDomain = 114;
    private const int SlotModelMetadataGetDescription = 115;
    private const int SlotModelMetadataLookupCustomMetadataMap = 116;
    private const int SlotModelMetadataGetVersion = 117;
    private const int SlotReleaseModelMetadata = 118;
    private const int SlotModelMetadataGetCustomMetadataMapKeys = 123;
    private const int SlotGetAvailableProviders = 125;
    private const int SlotReleaseAvailableProviders = 126;
    private const int SlotAddSessionConfigEntry = 130;
    private const int SlotSessionOptionsAppendExecutionProviderCudaV2 = 204;
    private const int SlotCreateCudaProviderOptions = 205;
    private const int SlotUpdateCudaProviderOptions = 206;
    private const int SlotReleaseCudaProviderOptions = 208;
    private const int SlotGetBuildInfoString = 254;

    // OrtAllocatorType and OrtMemType values used for caller-owned CPU memory.
    public const int OrtArenaAllocator = 1;
    public const int OrtMemTypeDefault = 0;

    // ONNXType
    public const int OnnxTypeTensor = 1;

    public readonly delegate* unmanaged<nint, int> GetErrorCode;
    public readonly delegate* unmanaged<nint, byte*> GetErrorMessage;
    public readonly delegate* unmanaged<int, byte*, nint*, nint> CreateEnv;
    public readonly delegate* unmanaged<delegate* unmanaged<nint, int, byte*, byte*, byte*, byte*, void>, nint, int, byte*, nint*, nint> CreateEnvWithCustomLogger;
    public readonly delegate* unmanaged<nint, byte*, nint, nint*, nint> CreateSession;
    public readonly delegate* unmanaged<nint, nint, byte**, nint*, nuint, byte**, nuint, nint*, nint> Run;
    public readonly delegate* unmanaged<nint*, nint> CreateSessionOptions;
    public readonly delegate* unmanaged<nint, int, nint> SetSessionGraphOptimizationLevel;
    public readonly delegate* unmanaged<nint, int, nint> SetIntraOpNumThreads;
    public readonly delegate* unmanaged<nint, int, nint> SetInterOpNumThreads;
    public readonly delegate* unmanaged<nint, nuint*, nint> SessionGetInputCount;
    public readonly delegate* unmanaged<nint, nuint*, nint> SessionGetOutputCount;
    public readonly delegate* unmanaged<nint, nuint, nint*, nint> SessionGetInputTypeInfo;
    public readonly delegate* unmanaged<nint, nuint, nint*, nint> SessionGetOutputTypeInfo;
    public readonly delegate* unmanaged<nint, nuint, nint, byte**, nint> SessionGetInputName;
    public readonly delegate* unmanaged<nint, nuint, nint, byte**, nint> SessionGetOutputName;
    public readonly delegate* unmanaged<nint, void*, nuint, long*, nuint, int, nint*, nint> CreateTensorWithDataAsOrtValue;
    public readonly delegate* unmanaged<nint, void**, nint> GetTensorMutableData;
    public readonly delegate* unmanaged<nint, nint*, nint> CastTypeInfoToTensorInfo;
    public readonly delegate* unmanaged<nint, int*, nint> GetOnnxTypeFromTypeInfo;
    public readonly delegate* unmanaged<nint, int*, nint> GetTensorElementType;
    public readonly delegate* unmanaged<nint, nuint*, nint> GetDimensionsCount;
    public readonly delegate* unmanaged<nint, long*, nuint, nint> GetDimensions;
    public readonly delegate* unmanaged<nint, byte**, nuint, nint> GetSymbolicDimensions;
    public readonly delegate* unmanaged<nint, nuint*, nint> GetTensorShapeElementCount;
    public readonly delegate* unmanaged<nint, nint*, nint> GetTensorTypeAndShape;
    public readonly delegate* unmanaged<nint, int*, nint> GetValueType;
    public readonly delegate* unmanaged<int, int, nint*, nint> CreateCpuMemoryInfo;
    public readonly delegate* unmanaged<nint, void*, nint> AllocatorFree;
    public readonly delegate* unmanaged<nint*, nint> GetAllocatorWithDefaultOptions;
    public readonly delegate* unmanaged<nint, void> ReleaseEnv;
    public readonly delegate* unmanaged<nint, void> ReleaseStatus;
    public readonly delegate* unmanaged<nint, void> ReleaseMemoryInfo;
    public readonly delegate* unmanaged<nint, void> ReleaseSession;
    public readonly delegate* unmanaged<nint, void> ReleaseValue;
    public readonly delegate* unmanaged<nint, void> ReleaseTypeInfo;
    public readonly delegate* unmanaged<nint, void> ReleaseTensorTypeAndShapeInfo;
    public readonly delegate* unmanaged<nint, void> ReleaseSessionOptions;
    public readonly delegate* unmanaged<nint, nint*, nint> SessionGetModelMetadata;
    public readonly delegate* unmanaged<nint, nint, byte**, nint> ModelMetadataGetProducerName;
    public readonly delegate* unmanaged<nint, nint, byte**, nint> ModelMetadataGetGraphName;
    public readonly delegate* unmanaged<nint, nint, byte**, nint> ModelMetadataGetDomain;
    public readonly delegate* unmanaged<nint, nint, byte**, nint> ModelMetadataGetDescription;
    public readonly delegate* unmanaged<nint, nint, byte*, byte**, nint> ModelMetadataLookupCustomMetadataMap;
    public readonly delegate* unmanaged<nint, long*, nint> ModelMetadataGetVersion;
    public readonly delegate* unmanaged<nint, void> ReleaseModelMetadata;
    public readonly delegate* unmanaged<nint, nint, byte***, long*, nint> ModelMetadataGetCustomMetadataMapKeys;
    public readonly delegate* unmanaged<byte***, int*, nint> GetAvailableProviders;
    public readonly delegate* unmanaged<byte**, int, nint> ReleaseAvailableProviders;
    public readonly delegate* unmanaged<nint, byte*, byte*, nint> AddSessionConfigEntry;
    public readonly delegate* unmanaged<nint, nint, nint> SessionOptionsAppendExecutionProviderCudaV2;
    public readonly delegate* unmanaged<nint*, nint> CreateCudaProviderOptions;
    public readonly delegate* unmanaged<nint, byte**, byte**, nuint, nint> UpdateCudaProviderOptions;
    public readonly delegate* unmanaged<nint, void> ReleaseCudaProviderOptions;
    public readonly delegate* unmanaged<byte*> GetBuildInfoString;

    public OrtApi(nint table)
    {
        var slots = (nint*)table;
        GetErrorCode = (delegate* unmanaged<nint, int>)slots[SlotGetErrorCode];
        GetErrorMessage = (delegate* unmanaged<nint, byte*>)slots[SlotGetErrorMessage];
        CreateEnv = (delegate* unmanaged<int, byte*, nint*, nint>)slots[SlotCreateEnv];
        CreateEnvWithCustomLogger = (delegate* unmanaged<delegate* unmanaged<nint, int, byte*, byte*, byte*, byte*, void>, nint, int, byte*, nint*, nint>)slots[SlotCreateEnvWithCustomLogger];
        CreateSession = (delegate* unmanaged<nint, byte*, nint, nint*, nint>)slots[SlotCreateSession];
        Run = (delegate* unmanaged<nint, nint, byte**, nint*, nuint, byte**, nuint, nint*, nint>)slots[SlotRun];
        CreateSessionOptions = (delegate* unmanaged<nint*, nint>)slots[SlotCreateSessionOptions];
        SetSessionGraphOptimizationLevel = (delegate* unmanaged<nint, int, nint>)slots[SlotSetSessionGraphOptimizationLevel];
        SetIntraOpNumThreads = (delegate* unmanaged<nint, int, nint>)slots[SlotSetIntraOpNumThreads];
        SetInterOpNumThreads = (delegate* unmanaged<nint, int, nint>)slots[SlotSetInterOpNumThreads];
        SessionGetInputCount = (delegate* unmanaged<nint, nuint*, nint>)slots[SlotSessionGetInputCount];
        SessionGetOutputCount = (delegate* unmanaged<nint, nuint*, nint>)slots[SlotSessionGetOutputCount];
        SessionGetInputTypeInfo = (delegate* unmanaged<nint, nuint, nint*, nint>)slots[SlotSessionGetInputTypeInfo];
        SessionGetOutputTypeInfo = (delegate* unmanaged<nint, nuint, nint*, nint>)slots[SlotSessionGetOutputTypeInfo];
        SessionGetInputName = (delegate* unmanaged<nint, nuint, nint, byte**, nint>)slots[SlotSessionGetInputName];
        SessionGetOutputName = (delegate* unmanaged<nint, nuint, nint, byte**, nint>)slots[SlotSessionGetOutputName];
        CreateTensorWithDataAsOrtValue = (delegate* unmanaged<nint, void*, nuint, long*, nuint, int, nint*, nint>)slots[SlotCreateTensorWithDataAsOrtValue];
        GetTensorMutableData = (delegate* unmanaged<nint, void**, nint>)slots[SlotGetTensorMutableData];
        CastTypeInfoToTensorInfo = (delegate* unmanaged<nint, nint*, nint>)slots[SlotCastTypeInfoToTensorInfo];
        GetOnnxTypeFromTypeInfo = (delegate* unmanaged<nint, int*, nint>)slots[SlotGetOnnxTypeFromTypeInfo];
        GetTensorElementType = (delegate* unmanaged<nint, int*, nint>)slots[SlotGetTensorElementType];
        GetDimensionsCount = (delegate* unmanaged<nint, nuint*, nint>)slots[SlotGetDimensionsCount];
        GetDimensions = (delegate* unmanaged<nint, long*, nuint, nint>)slots[SlotGetDimensions];
        GetSymbolicDimensions = (delegate* unmanaged<nint, byte**, nuint, nint>)slots[SlotGetSymbolicDimensions];
        GetTensorShapeElementCount = (delegate* unmanaged<nint, nuint*, nint>)slots[SlotGetTensorShapeElementCount];
        GetTensorTypeAndShape = (delegate* unmanaged<nint, nint*, nint>)slots[SlotGetTensorTypeAndShape];
        GetValueType = (delegate* unmanaged<nint, int*, nint>)slots[SlotGetValueType];
        CreateCpuMemoryInfo = (delegate* unmanaged<int, int, nint*, nint>)slots[SlotCreateCpuMemoryInfo];
        AllocatorFree = (delegate* unmanaged<nint, void*, nint>)slots[SlotAllocatorFree];
        GetAllocatorWithDefaultOptions = (delegate* unmanaged<nint*, nint>)slots[SlotGetAllocatorWithDefaultOptions];
        ReleaseEnv = (delegate* unmanaged<nint, void>)slots[SlotReleaseEnv];
        ReleaseStatus = (delegate* unmanaged<nint, void>)slots[SlotReleaseStatus];
        ReleaseMemoryInfo = (delegate* unmanaged<nint, void>)slots[SlotReleaseMemoryInfo];
        ReleaseSession = (delegate* unmanaged<nint, void>)slots[SlotReleaseSession];
        ReleaseValue = (delegate* unmanaged<nint, void>)slots[SlotReleaseValue];
        ReleaseTypeInfo = (delegate* unmanaged<nint, void>)slots[SlotReleaseTypeInfo];
        ReleaseTensorTypeAndShapeInfo = (delegate* unmanaged<nint, void>)slots[SlotReleaseTensorTypeAndShapeInfo];
        ReleaseSessionOptions = (delegate* unmanaged<nint, void>)slots[SlotReleaseSessionOptions];
        SessionGetModelMetadata = (delegate* unmanaged<nint, nint*, nint>)slots[SlotSessionGetModelMetadata];
        ModelMetadataGetProducerName = (delegate* unmanaged<nint, nint, byte**, nint>)slots[SlotModelMetadataGetProducerName];
        ModelMetadataGetGraphName = (delegate* unmanaged<nint, nint, byte**, nint>)slots[SlotModelMetadataGetGraphName];
        ModelMetadataGetDomain = (delegate* unmanaged<nint, nint, byte**, nint>)slots[SlotModelMetadataGetDomain];
        ModelMetadataGetDescription = (delegate* unmanaged<nint, nint, byte**, nint>)slots[SlotModelMetadataGetDescription];
        ModelMetadataLookupCustomMetadataMap = (delegate* unmanaged<nint, nint, byte*, byte**, nint>)slots[SlotModelMetadataLookupCustomMetadataMap];
        ModelMetadataGetVersion = (delegate* unmanaged<nint, long*, nint>)slots[SlotModelMetadataGetVersion];
        ReleaseModelMetadata = (delegate* unmanaged<nint, void>)slots[SlotReleaseModelMetadata];
        ModelMetadataGetCustomMetadataMapKeys = (delegate* unmanaged<nint, nint, byte***, long*, nint>)slots[SlotModelMetadataGetCustomMetadataMapKeys];
        GetAvailableProviders = (delegate* unmanaged<byte***, int*, nint>)slots[SlotGetAvailableProviders];
        ReleaseAvailableProviders = (delegate* unmanaged<byte**, int, nint>)slots[SlotReleaseAvailableProviders];
        AddSessionConfigEntry = (delegate* unmanaged<nint, byte*, byte*, nint>)slots[SlotAddSessionConfigEntry];
        SessionOptionsAppendExecutionProviderCudaV2 = (delegate* unmanaged<nint, nint, nint>)slots[SlotSessionOptionsAppendExecutionProviderCudaV2];
        CreateCudaProviderOptions = (delegate* unmanaged<nint*, nint>)slots[SlotCreateCudaProviderOptions];
        UpdateCudaProviderOptions = (delegate* unmanaged<nint, byte**, byte**, nuint, nint>)slots[SlotUpdateCudaProviderOptions];
        ReleaseCudaProviderOptions = (delegate* unmanaged<nint, void>)slots[SlotReleaseCudaProviderOptions];
        GetBuildInfoString = (delegate* unmanaged<byte*>)slots[SlotGetBuildInfoString];
    }

    /// <summary>
    /// Throws when <paramref name="status"/> reports an error, after reading and releasing it.
    /// <paramref name="doing"/> says what was being done, as the start of a sentence ("Loading ONNX model 'x.onnx'").
    /// </summary>
    public void Check(nint status, string doing, string? modelPath = null)
    {
        if (status != 0) throw TakeError(status, doing, modelPath);
    }

    /// <summary>Reads an error status into an exception and releases the status.</summary>
    public OnnxRuntimeException TakeError(nint status, string doing, string? modelPath = null)
    {
        var code = (OnnxErrorCode)GetErrorCode(status);
        string message = Utf8(GetErrorMessage(status)).TrimEnd();
        ReleaseStatus(status);
        return new OnnxRuntimeException($"{doing} failed: {CodeName(code)}: {message}", code, modelPath);
    }

    /// <summary>Reads an error status as "CODE: message" and releases it, for callers that go on.</summary>
    public string TakeErrorText(nint status)
    {
        var code = (OnnxErrorCode)GetErrorCode(status);
        string message = Utf8(GetErrorMessage(status)).TrimEnd();
        ReleaseStatus(status);
        return $"{CodeName(code)}: {message}";
    }

    /// <summary>Copies a string that ONNX Runtime allocated with <paramref name="allocator"/>, then frees it.</summary>
    public string TakeAllocatedString(nint allocator, byte* text)
    {
        if (text == null) return "";
        string value = Utf8(text);
        Check(AllocatorFree(allocator, text), "Freeing a string ONNX Runtime returned");
        return value;
    }

    public static string Utf8(byte* text) => text == null ? "" : Marshal.PtrToStringUTF8((nint)text) ?? "";

    /// <summary>A NUL-terminated UTF-8 copy of <paramref name="text"/>, for passing to the C API.</summary>
    public static byte[] ToUtf8Z(string text)
    {
        int length = System.Text.Encoding.UTF8.GetByteCount(text);
        var bytes = new byte[length + 1];
        System.Text.Encoding.UTF8.GetBytes(text, bytes);
        return bytes;
    }

    /// <summary>The C API's own name for a status code (ORT_INVALID_ARGUMENT...), as ONNX Runtime's docs spell it.</summary>
    public static string CodeName(OnnxErrorCode code) => code switch
    {
        OnnxErrorCode.Ok => "ORT_OK",
        OnnxErrorCode.Fail => "ORT_FAIL",
        OnnxErrorCode.InvalidArgument => "ORT_INVALID_ARGUMENT",
        OnnxErrorCode.NoSuchFile => "ORT_NO_SUCHFILE",
        OnnxErrorCode.NoModel => "ORT_NO_MODEL",
        OnnxErrorCode.EngineError => "ORT_ENGINE_ERROR",
        OnnxErrorCode.RuntimeException => "ORT_RUNTIME_EXCEPTION",
        OnnxErrorCode.InvalidProtobuf => "ORT_INVALID_PROTOBUF",
        OnnxErrorCode.ModelLoaded => "ORT_MODEL_LOADED",
        OnnxErrorCode.NotImplemented => "ORT_NOT_IMPLEMENTED",
        OnnxErrorCode.InvalidGraph => "ORT_INVALID_GRAPH",
        OnnxErrorCode.EpFail => "ORT_EP_FAIL",
        _ => $"ORT error {(int)code}",
    };
}
