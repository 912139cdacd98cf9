using System.Runtime.InteropServices;
using WebRtcAsr.Speech.Onnx;

namespace WebRtcAsr.Speech.Tests.Onnx;

/// <summary>
/// Calls OrtApi slots directly and checks answers only the right function can give: a miscounted
/// slot index would call a different function and fail (or crash) here.
/// </summary>
public unsafe class OrtApiSlotTests
{
    private static readonly OrtApi Api = OnnxEnvironment.Shared.Api;

    [Fact]
    public void Tensor_queries_describe_a_tensor_and_point_at_the_callers_memory()
    {
        float[] data = GC.AllocateArray<float>(24, pinned: true);
        using var tensor = new OnnxTensor<float>(data, [2, 3, 4]);
        nint value = tensor.Handle.DangerousGetHandle();

        int valueType;
        Assert.Equal(0, Api.GetValueType(value, &valueType));
        Assert.Equal(1, valueType); // ONNX_TYPE_TENSOR

        void* pointer;
        Assert.Equal(0, Api.GetTensorMutableData(value, &pointer));
        Assert.Equal((nint)Marshal.UnsafeAddrOfPinnedArrayElement(data, 0), (nint)pointer); // no copy: ORT reads the caller's array

        nint info;
        Assert.Equal(0, Api.GetTensorTypeAndShape(value, &info));
        try
        {
            int elementType;
            nuint rank, count;
            var dims = new long[3];
            Assert.Equal(0, Api.GetTensorElementType(info, &elementType));
            Assert.Equal(0, Api.GetDimensionsCount(info, &rank));
            Assert.Equal(0, Api.GetTensorShapeElementCount(info, &count));
            fixed (long* d = dims) Assert.Equal(0, Api.GetDimensions(info, d, 3));

            Assert.Equal((int)OnnxElementType.Float, elementType);
            Assert.Equal(3u, rank);
            Assert.Equal(24u, count);
            Assert.Equal([2L, 3, 4], dims);
        }
        finally
        {
            Api.ReleaseTensorTypeAndShapeInfo(info);
        }
    }

    [Fact]
    public void An_error_status_carries_a_code_and_a_message()
    {
        using OnnxSession session = OnnxSession.Load(TestModel.AddMatMul, new OnnxSessionOptions());
        byte* name;

        nint status = Api.SessionGetInputName(session.Handle.DangerousGetHandle(), 5, OnnxEnvironment.Shared.DefaultAllocator, &name);

        Assert.NotEqual(0, status);
        OnnxRuntimeException error = Api.TakeError(status, "Reading input 5 of a one-input model");
        Assert.NotNull(error.ErrorCode);
        Assert.NotEqual(OnnxErrorCode.Ok, error.ErrorCode);
        Assert.StartsWith("Reading input 5 of a one-input model failed: ORT_", error.Message, StringComparison.Ordinal);
        Assert.True(error.Message.Length > "Reading input 5 of a one-input model failed: ORT_FAIL: ".Length);
    }

    [Fact]
    public void Session_queries_count_and_name_inputs_and_outputs()
    {
        using OnnxSession session = OnnxSession.Load(TestModel.IntOps, new OnnxSessionOptions());
        nint handle = session.Handle.DangerousGetHandle();
        nint allocator = OnnxEnvironment.Shared.DefaultAllocator;
        nuint inputs, outputs;
        byte* name;

        Assert.Equal(0, Api.SessionGetInputCount(handle, &inputs));
        Assert.Equal(0, Api.SessionGetOutputCount(handle, &outputs));
        Assert.Equal(0, Api.SessionGetOutputName(handle, 2, allocator, &name));

        Assert.Equal(2u, inputs);
        Assert.Equal(3u, outputs);
        Assert.Equal("shifted", Api.TakeAllocatedString(allocator, name));
    }
}
