namespace WebRtcAsr.Speech.Onnx;

/// <summary>
/// One input or output of a model. <paramref name="Shape"/> holds -1 where a dimension is dynamic;
/// <paramref name="SymbolicDims"/> holds the dimension's name there ("N") and "" where there is none.
/// A non-tensor value (sequence, map) has <see cref="OnnxElementType.Undefined"/> and an empty shape.
/// </summary>
public sealed record OnnxTensorInfo(string Name, OnnxElementType ElementType, long[] Shape, string[] SymbolicDims)
{
    /// <summary>"Float [N, 4]": the element type and shape as the model declares them.</summary>
    public string Describe() => $"{ElementType} {OnnxShapeText.Format(Shape, SymbolicDims)}";
}
