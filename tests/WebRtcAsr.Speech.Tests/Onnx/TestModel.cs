namespace WebRtcAsr.Speech.Tests.Onnx;

/// <summary>Paths of the committed test models (see TestModels/make_test_models.py).</summary>
internal static class TestModel
{
    /// <summary>x: float [N, 4] → y = x·W + b (float [N, 2]) and x_plus_one (float [N, 4]); W = [[0,1],[2,3],[4,5],[6,7]], b = [10, 20].</summary>
    public static string AddMatMul => Path.Combine(AppContext.BaseDirectory, "TestModels", "add_matmul.onnx");

    /// <summary>ids: int64 [N, T], offset: int32 [1] → doubled (int64), as_float (float), shifted = offset + 5 (int32).</summary>
    public static string IntOps => Path.Combine(AppContext.BaseDirectory, "TestModels", "int_ops.onnx");

    /// <summary>y = x·W + b for the add_matmul model, computed here to check ONNX Runtime's answer.</summary>
    public static float[] ExpectedY(ReadOnlySpan<float> x)
    {
        int rows = x.Length / 4;
        var y = new float[rows * 2];
        for (int r = 0; r < rows; r++)
        {
            for (int c = 0; c < 2; c++)
            {
                float sum = c == 0 ? 10 : 20;
                for (int k = 0; k < 4; k++) sum += x[(r * 4) + k] * ((k * 2) + c);
                y[(r * 2) + c] = sum;
            }
        }
        return y;
    }
}
