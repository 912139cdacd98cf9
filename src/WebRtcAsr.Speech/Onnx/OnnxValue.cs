namespace WebRtcAsr.Speech.Onnx;

/// <summary>A value ONNX Runtime can read or write (an OrtValue), owned through a SafeHandle.</summary>
public abstract class OnnxValue : IDisposable
{
    private readonly long[] _shape;
    private OrtHandle? _handle;

    private protected OnnxValue(OnnxElementType elementType, long[] shape)
    {
        ElementType = elementType;
        _shape = shape;
    }

    /// <summary>The tensor's dimensions.</summary>
    public ReadOnlySpan<long> Shape => _shape;

    public OnnxElementType ElementType { get; }

    /// <summary>Product of the dimensions (1 for a scalar).</summary>
    public long ElementCount => OnnxShape.ElementCount(_shape);

    public bool IsDisposed => _handle is null || _handle.IsClosed;

    internal OrtHandle Handle => _handle ?? throw new InvalidOperationException("The value has no ONNX Runtime object yet.");

    private protected void Attach(OrtHandle handle) => _handle = handle;

    /// <summary>Frees the OrtValue (and unpins caller memory). Safe to call more than once.</summary>
    public void Dispose()
    {
        Dispose(disposing: true);
        GC.SuppressFinalize(this);
    }

    protected virtual void Dispose(bool disposing)
    {
        if (disposing) _handle?.Dispose();
    }

    /// <summary>"Float [2, 4]", for messages.</summary>
    public override string ToString() => $"{ElementType} {OnnxShapeText.Format(_shape)}";
}
