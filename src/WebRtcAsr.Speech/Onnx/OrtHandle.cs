using System.Buffers;
using System.Runtime.InteropServices;

namespace WebRtcAsr.Speech.Onnx;

/// <summary>
/// Owns one ONNX Runtime object and frees it with its Release function exactly once, even when the
/// owner is never disposed. A tensor over caller memory also owns the pin that keeps that memory
/// in place, and drops it only after the OrtValue that points at it is gone.
/// </summary>
internal sealed unsafe class OrtHandle : SafeHandle
{
    private readonly OrtApi _api;
    private readonly OrtObjectKind _kind;
    private MemoryHandle _pin;

    public OrtHandle(OrtApi api, OrtObjectKind kind, nint pointer)
        : base(invalidHandleValue: 0, ownsHandle: true)
    {
        _api = api;
        _kind = kind;
        SetHandle(pointer);
    }

    public OrtObjectKind Kind => _kind;

    public override bool IsInvalid => handle == 0;

    /// <summary>Keeps <paramref name="pin"/> until this handle is released.</summary>
    public void HoldPin(MemoryHandle pin) => _pin = pin;

    protected override bool ReleaseHandle()
    {
        switch (_kind)
        {
            case OrtObjectKind.Env: _api.ReleaseEnv(handle); break;
            case OrtObjectKind.SessionOptions: _api.ReleaseSessionOptions(handle); break;
            case OrtObjectKind.Session: _api.ReleaseSession(handle); break;
            case OrtObjectKind.Value: _api.ReleaseValue(handle); break;
            case OrtObjectKind.TypeInfo: _api.ReleaseTypeInfo(handle); break;
            case OrtObjectKind.TensorTypeAndShapeInfo: _api.ReleaseTensorTypeAndShapeInfo(handle); break;
            case OrtObjectKind.ModelMetadata: _api.ReleaseModelMetadata(handle); break;
            case OrtObjectKind.MemoryInfo: _api.ReleaseMemoryInfo(handle); break;
            case OrtObjectKind.CudaProviderOptions: _api.ReleaseCudaProviderOptions(handle); break;
            default: return false;
        }
        _pin.Dispose();
        return true;
    }
}
