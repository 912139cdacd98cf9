using WebRtcAsr.Speech.Onnx;

namespace WebRtcAsr.Speech.Tests.Onnx;

public class OnnxTensorTests
{
    [Fact]
    public void A_tensor_over_caller_memory_sees_the_callers_writes()
    {
        using OnnxSession session = OnnxSession.Load(TestModel.AddMatMul, new OnnxSessionOptions());
        OnnxRunPlan plan = session.CreateRunPlan(["x"], ["x_plus_one"]);
        var callerArray = new float[8];
        using var x = new OnnxTensor<float>(callerArray.AsMemory(), [2, 4]);
        using var result = new OnnxTensor<float>([2, 4]);

        callerArray[0] = 41;     // written through the caller's own array, not the tensor
        callerArray[7] = -3.5f;
        plan.Run([x], [result]);

        Assert.Equal([42f, 1, 1, 1, 1, 1, 1, -2.5f], result.Span.ToArray());
        Assert.Equal(41f, x.Span[0]);
    }

    [Fact]
    public void A_tensor_over_a_slice_of_a_larger_buffer_uses_only_the_slice()
    {
        using OnnxSession session = OnnxSession.Load(TestModel.AddMatMul, new OnnxSessionOptions());
        OnnxRunPlan plan = session.CreateRunPlan(["x"], ["x_plus_one"]);
        float[] buffer = [100, 1, 2, 3, 4, 100];
        using var x = new OnnxTensor<float>(buffer.AsMemory(1, 4), [1, 4]);
        using var result = new OnnxTensor<float>([1, 4]);

        plan.Run([x], [result]);

        Assert.Equal([2f, 3, 4, 5], result.Span.ToArray());
    }

    [Fact]
    public void Reports_its_shape_and_element_type()
    {
        using var tensor = new OnnxTensor<long>([3, 2, 5]);

        Assert.Equal([3L, 2, 5], tensor.Shape.ToArray());
        Assert.Equal(OnnxElementType.Int64, tensor.ElementType);
        Assert.Equal(30, tensor.Span.Length);
        Assert.Equal(30, tensor.ElementCount);
        Assert.Equal("Int64 [3, 2, 5]", tensor.ToString());
    }

    [Fact]
    public void Maps_csharp_types_to_onnx_element_types()
    {
        using var a = new OnnxTensor<float>([1]);
        using var b = new OnnxTensor<int>([1]);
        using var c = new OnnxTensor<byte>([1]);
        using var d = new OnnxTensor<bool>([1]);
        using var e = new OnnxTensor<Half>([1]);
        using var f = new OnnxTensor<double>([1]);
        using var g = new OnnxTensor<ulong>([1]);

        Assert.Equal(
            [OnnxElementType.Float, OnnxElementType.Int32, OnnxElementType.UInt8, OnnxElementType.Bool, OnnxElementType.Float16, OnnxElementType.Double, OnnxElementType.UInt64],
            new OnnxValue[] { a, b, c, d, e, f, g }.Select(t => t.ElementType));
    }

    [Fact]
    public void A_scalar_has_one_element()
    {
        using var scalar = new OnnxTensor<float>([]);

        Assert.Equal(1, scalar.Span.Length);
        Assert.Equal(0, scalar.Shape.Length);
    }

    [Fact]
    public void Memory_of_the_wrong_length_is_refused()
    {
        var error = Assert.Throws<ArgumentException>(() => new OnnxTensor<float>(new float[7], [2, 4]));

        Assert.Contains("[2, 4] holds 8 elements", error.Message, StringComparison.Ordinal);
        Assert.Contains("holds 7", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Negative_dimensions_are_refused()
    {
        Assert.Throws<ArgumentException>(() => new OnnxTensor<float>([-1, 4]));
    }

    [Fact]
    public void Element_types_without_an_onnx_counterpart_are_refused()
    {
        Assert.Throws<NotSupportedException>(() => new OnnxTensor<char>([2]));
    }

    [Fact]
    public void Disposing_twice_is_safe()
    {
        var tensor = new OnnxTensor<float>(new float[4], [4]);
        tensor.Dispose();
        tensor.Dispose();

        Assert.True(tensor.IsDisposed);
    }
}
