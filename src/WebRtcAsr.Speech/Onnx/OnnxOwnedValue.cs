namespace WebRtcAsr.Speech.Onnx;

/// <summary>An output that ONNX Runtime allocated; its data stays valid until the <see cref="OnnxOutputs"/> holding it is disposed.</summary>
public sealed unsafe class OnnxOwnedValue : OnnxValue
{
    private OnnxOwnedValue(OrtHandle handle, string name, OnnxElementType elementType, long[] shape)
        : base(elementType, shape)
    {
        Name = name;
        Attach(handle);
    }

    /// <summary>The output's name in the model.</summary>
    public string Name { get; }

    /// <summary>The tensor's elements; T must match <see cref="OnnxValue.ElementType"/> (float for Float, long for Int64...).</summary>
    public ReadOnlySpan<T> GetData<T>() where T : unmanaged
    {
        OnnxElementType wanted = OnnxElementTypeOf<T>.Require();
        if (wanted != ElementType)
        {
            throw new OnnxRuntimeException($"Output '{Name}' holds {ElementType} elements; it cannot be read as {typeof(T).Name} ({wanted}).");
        }
        ObjectDisposedException.ThrowIf(IsDisposed, this);
        OrtApi api = OnnxEnvironment.Shared.Api;
        void* data;
        api.Check(api.GetTensorMutableData(Handle.DangerousGetHandle(), &data), $"Reading output '{Name}'");
        return new ReadOnlySpan<T>(data, checked((int)ElementCount));
    }

    /// <summary>Takes ownership of an OrtValue that ONNX Runtime allocated, reading its type and shape.</summary>
    internal static OnnxOwnedValue Take(OrtApi api, nint value, string name)
    {
        var handle = new OrtHandle(api, OrtObjectKind.Value, value);
        try
        {
            int valueType;
            api.Check(api.GetValueType(value, &valueType), $"Reading the type of output '{name}'");
            if (valueType != OrtApi.OnnxTypeTensor) return new OnnxOwnedValue(handle, name, OnnxElementType.Undefined, []);

            nint info;
            api.Check(api.GetTensorTypeAndShape(value, &info), $"Reading the shape of output '{name}'");
            using var infoHandle = new OrtHandle(api, OrtObjectKind.TensorTypeAndShapeInfo, info);
            var (type, shape) = OrtTensorShape.Read(api, info);
            return new OnnxOwnedValue(handle, name, type, shape);
        }
        catch
        {
            handle.Dispose();
            throw;
        }
    }
}
