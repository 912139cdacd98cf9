namespace WebRtcAsr.Speech.Onnx;

/// <summary>The ONNX element type that a C# element type stands for, computed once per type.</summary>
internal static class OnnxElementTypeOf<T> where T : unmanaged
{
    /// <summary>The element type, or <see cref="OnnxElementType.Undefined"/> when T has no ONNX counterpart.</summary>
    public static readonly OnnxElementType Value = Find();

    private static OnnxElementType Find()
    {
        if (typeof(T) == typeof(float)) return OnnxElementType.Float;
        if (typeof(T) == typeof(byte)) return OnnxElementType.UInt8;
        if (typeof(T) == typeof(sbyte)) return OnnxElementType.Int8;
        if (typeof(T) == typeof(ushort)) return OnnxElementType.UInt16;
        if (typeof(T) == typeof(short)) return OnnxElementType.Int16;
        if (typeof(T) == typeof(int)) return OnnxElementType.Int32;
        if (typeof(T) == typeof(long)) return OnnxElementType.Int64;
        if (typeof(T) == typeof(bool)) return OnnxElementType.Bool;
        if (typeof(T) == typeof(Half)) return OnnxElementType.Float16;
        if (typeof(T) == typeof(double)) return OnnxElementType.Double;
        if (typeof(T) == typeof(uint)) return OnnxElementType.UInt32;
        if (typeof(T) == typeof(ulong)) return OnnxElementType.UInt64;
        return OnnxElementType.Undefined;
    }

    /// <summary>The element type, or an exception saying T cannot be a tensor element.</summary>
    public static OnnxElementType Require()
    {
        if (Value == OnnxElementType.Undefined)
        {
            throw new NotSupportedException(
                $"{typeof(T).Name} is not an ONNX tensor element type (use float, double, Half, bool, or an 8/16/32/64-bit integer).");
        }
        return Value;
    }
}
