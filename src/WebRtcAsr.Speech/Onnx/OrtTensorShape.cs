namespace WebRtcAsr.Speech.Onnx;

/// <summary>Reads an OrtTensorTypeAndShapeInfo (element type, dimensions, their symbolic names).</summary>
internal static unsafe class OrtTensorShape
{
    public static (OnnxElementType Type, long[] Shape) Read(OrtApi api, nint info)
    {
        int type;
        api.Check(api.GetTensorElementType(info, &type), "Reading a tensor's element type");
        nuint rank;
        api.Check(api.GetDimensionsCount(info, &rank), "Reading a tensor's rank");
        var shape = new long[(int)rank];
        fixed (long* dims = shape)
        {
            api.Check(api.GetDimensions(info, dims, rank), "Reading a tensor's dimensions");
        }
        return ((OnnxElementType)type, shape);
    }

    public static string[] ReadSymbolic(OrtApi api, nint info, int rank)
    {
        var names = new string[rank];
        if (rank == 0) return names;
        var pointers = new nint[rank]; // the rank comes from the model file: not on the stack
        fixed (nint* p = pointers)
        {
            api.Check(api.GetSymbolicDimensions(info, (byte**)p, (nuint)rank), "Reading a tensor's symbolic dimensions");
        }
        for (int i = 0; i < rank; i++) names[i] = OrtApi.Utf8((byte*)pointers[i]);
        return names;
    }

    /// <summary>Describes a model input or output from its OrtTypeInfo.</summary>
    public static OnnxTensorInfo Describe(OrtApi api, string name, nint typeInfo)
    {
        int onnxType;
        api.Check(api.GetOnnxTypeFromTypeInfo(typeInfo, &onnxType), $"Reading the type of '{name}'");
        if (onnxType != OrtApi.OnnxTypeTensor) return new OnnxTensorInfo(name, OnnxElementType.Undefined, [], []);

        nint tensorInfo; // owned by typeInfo: not released separately
        api.Check(api.CastTypeInfoToTensorInfo(typeInfo, &tensorInfo), $"Reading the tensor type of '{name}'");
        var (type, shape) = Read(api, tensorInfo);
        string[] symbolic = ReadSymbolic(api, tensorInfo, shape.Length);
        for (int i = 0; i < shape.Length; i++)
        {
            if (shape[i] < 0) shape[i] = -1;
        }
        return new OnnxTensorInfo(name, type, shape, symbolic);
    }
}
