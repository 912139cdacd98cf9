using WebRtcAsr.Speech.Onnx;

namespace WebRtcAsr.Speech.Tests.Onnx;

public sealed class OnnxRunPlanTests : IDisposable
{
    private readonly OnnxSession _addMatMul = OnnxSession.Load(TestModel.AddMatMul, new OnnxSessionOptions());
    private readonly OnnxSession _intOps = OnnxSession.Load(TestModel.IntOps, new OnnxSessionOptions());

    public void Dispose()
    {
        _addMatMul.Dispose();
        _intOps.Dispose();
    }

    [Fact]
    public void Runs_into_caller_tensors_with_exact_results()
    {
        OnnxRunPlan plan = _addMatMul.CreateRunPlan(["x"], ["y", "x_plus_one"]);
        using var x = new OnnxTensor<float>([2, 4]);
        using var y = new OnnxTensor<float>([2, 2]);
        using var xPlusOne = new OnnxTensor<float>([2, 4]);
        new float[] { 1, 2, 3, 4, 0, 0, 0, 1 }.CopyTo(x.Span);

        plan.Run([x], [y, xPlusOne]);

        // Row 0: [1,2,3,4]·W + b = [0+4+12+24+10, 1+6+15+28+20]; row 1: W's last row + b.
        Assert.Equal([50f, 70, 16, 27], y.Span.ToArray());
        Assert.Equal([2f, 3, 4, 5, 1, 1, 1, 2], xPlusOne.Span.ToArray());
    }

    [Fact]
    public void Runs_with_outputs_that_onnx_runtime_allocates()
    {
        OnnxRunPlan plan = _addMatMul.CreateRunPlan(["x"], ["x_plus_one", "y"]);
        using var x = new OnnxTensor<float>([3, 4]);
        for (int i = 0; i < 12; i++) x.Span[i] = i - 5;

        using OnnxOutputs outputs = plan.Run([x]);

        Assert.Equal(2, outputs.Count);
        Assert.Equal("x_plus_one", outputs[0].Name);
        Assert.Equal([3L, 2], outputs["y"].Shape.ToArray());
        Assert.Equal(OnnxElementType.Float, outputs["y"].ElementType);
        Assert.Equal(TestModel.ExpectedY(x.Span), outputs["y"].GetData<float>().ToArray());
        Assert.Equal([3L, 4], outputs[0].Shape.ToArray());
        Assert.Equal(Enumerable.Range(-4, 12).Select(v => (float)v), outputs[0].GetData<float>().ToArray());
    }

    [Fact]
    public void Reuses_the_same_tensors_across_runs()
    {
        OnnxRunPlan plan = _addMatMul.CreateRunPlan(["x"], ["y"]);
        using var x = new OnnxTensor<float>([1, 4]);
        using var y = new OnnxTensor<float>([1, 2]);

        for (int run = 0; run < 5; run++)
        {
            for (int i = 0; i < 4; i++) x.Span[i] = (run * 4) + i;
            plan.Run([x], [y]);
            Assert.Equal(TestModel.ExpectedY(x.Span), y.Span.ToArray());
        }
    }

    [Fact]
    public void One_plan_serves_different_batch_sizes()
    {
        OnnxRunPlan plan = _addMatMul.CreateRunPlan(["x"], ["y"]);

        foreach (int batch in new[] { 1, 4, 2, 7 })
        {
            using var x = new OnnxTensor<float>([batch, 4]);
            using var y = new OnnxTensor<float>([batch, 2]);
            for (int i = 0; i < x.Span.Length; i++) x.Span[i] = (i * 3) % 11;

            plan.Run([x], [y]);

            Assert.Equal(TestModel.ExpectedY(x.Span), y.Span.ToArray());
        }
    }

    [Fact]
    public void Runs_int64_and_int32_inputs_with_outputs_of_three_types()
    {
        OnnxRunPlan plan = _intOps.CreateRunPlan(["ids", "offset"], ["doubled", "as_float", "shifted"]);
        using var ids = new OnnxTensor<long>([2, 3]);
        using var offset = new OnnxTensor<int>([1]);
        new long[] { 1, -2, 3, 4_000_000_000L, 0, -7 }.CopyTo(ids.Span);
        offset.Span[0] = 37;
        using var doubled = new OnnxTensor<long>([2, 3]);
        using var asFloat = new OnnxTensor<float>([2, 3]);
        using var shifted = new OnnxTensor<int>([1]);

        plan.Run([ids, offset], [doubled, asFloat, shifted]);

        Assert.Equal([2L, -4, 6, 8_000_000_000L, 0, -14], doubled.Span.ToArray());
        Assert.Equal([1f, -2, 3, 4e9f, 0, -7], asFloat.Span.ToArray());
        Assert.Equal(42, shifted.Span[0]);
    }

    [Fact]
    public void Feeds_and_fetches_in_the_plans_order_not_the_models()
    {
        OnnxRunPlan plan = _intOps.CreateRunPlan(["offset", "ids"], ["shifted", "doubled"]);
        using var offset = new OnnxTensor<int>([1]);
        using var ids = new OnnxTensor<long>([1, 2]);
        offset.Span[0] = -5;
        ids.Span[0] = 10;
        ids.Span[1] = 11;

        using OnnxOutputs outputs = plan.Run([offset, ids]);

        Assert.Equal(["offset", "ids"], plan.InputNames);
        Assert.Equal(["shifted", "doubled"], plan.OutputNames);
        Assert.Equal([0], outputs[0].GetData<int>().ToArray());
        Assert.Equal([20L, 22], outputs[1].GetData<long>().ToArray());
    }

    [Fact]
    public void An_output_onnx_runtime_allocated_can_feed_the_next_run()
    {
        OnnxRunPlan plan = _addMatMul.CreateRunPlan(["x"], ["x_plus_one"]);
        using var x = new OnnxTensor<float>([1, 4]);
        new float[] { 1, 2, 3, 4 }.CopyTo(x.Span);

        using OnnxOutputs first = plan.Run([x]);
        using OnnxOutputs second = plan.Run([first[0]]);
        using OnnxOutputs third = plan.Run([second["x_plus_one"]]);

        Assert.Equal([4f, 5, 6, 7], third[0].GetData<float>().ToArray());
    }

    [Fact]
    public async Task Runs_concurrently_on_one_session_from_two_threads()
    {
        OnnxRunPlan plan = _addMatMul.CreateRunPlan(["x"], ["y"]);
        using var start = new Barrier(2);

        int[] Worker(int seed)
        {
            using var x = new OnnxTensor<float>([3, 4]);
            using var y = new OnnxTensor<float>([3, 2]);
            var mismatches = new List<int>();
            start.SignalAndWait();
            for (int run = 0; run < 300; run++)
            {
                for (int i = 0; i < 12; i++) x.Span[i] = ((seed * 31) + (run * 7) + i) % 17;
                plan.Run([x], [y]);
                if (!TestModel.ExpectedY(x.Span).AsSpan().SequenceEqual(y.Span)) mismatches.Add(run);
            }
            return mismatches.ToArray();
        }

        Task<int[]> first = Task.Factory.StartNew(() => Worker(1), TaskCreationOptions.LongRunning);
        Task<int[]> second = Task.Factory.StartNew(() => Worker(2), TaskCreationOptions.LongRunning);

        Assert.Empty(await first);
        Assert.Empty(await second);
    }

    [Fact]
    public void A_wrong_element_type_names_the_input_and_what_it_needs()
    {
        OnnxRunPlan plan = _addMatMul.CreateRunPlan(["x"], ["y"]);
        using var x = new OnnxTensor<double>([2, 4]);

        var error = Assert.Throws<OnnxRuntimeException>(() => plan.Run([x]));

        Assert.Contains("input 'x'", error.Message, StringComparison.Ordinal);
        Assert.Contains("must be Float [N, 4], but a Double [2, 4] tensor was given", error.Message, StringComparison.Ordinal);
        Assert.Contains(TestModel.AddMatMul, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_wrong_shape_names_the_input_and_what_it_needs()
    {
        OnnxRunPlan plan = _addMatMul.CreateRunPlan(["x"], ["y"]);
        using var wrongWidth = new OnnxTensor<float>([2, 3]);
        using var wrongRank = new OnnxTensor<float>([8]);

        var width = Assert.Throws<OnnxRuntimeException>(() => plan.Run([wrongWidth]));
        var rank = Assert.Throws<OnnxRuntimeException>(() => plan.Run([wrongRank]));

        Assert.Contains("must be Float [N, 4], but a Float [2, 3] tensor was given", width.Message, StringComparison.Ordinal);
        Assert.Contains("but a Float [8] tensor was given", rank.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_wrong_output_type_is_refused_before_running()
    {
        OnnxRunPlan plan = _intOps.CreateRunPlan(["ids", "offset"], ["shifted"]);
        using var ids = new OnnxTensor<long>([1, 1]);
        using var offset = new OnnxTensor<int>([1]);
        using var shifted = new OnnxTensor<long>([1]);

        var error = Assert.Throws<OnnxRuntimeException>(() => plan.Run([ids, offset], [shifted]));

        Assert.Contains("output 'shifted'", error.Message, StringComparison.Ordinal);
        Assert.Contains("must be Int32 [1]", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_output_whose_batch_disagrees_with_the_input_is_reported_by_onnx_runtime()
    {
        OnnxRunPlan plan = _addMatMul.CreateRunPlan(["x"], ["y"]);
        using var x = new OnnxTensor<float>([2, 4]);
        using var y = new OnnxTensor<float>([3, 2]); // fits [N, 2], but N is 2 in this run

        var error = Assert.Throws<OnnxRuntimeException>(() => plan.Run([x], [y]));

        // The error came through OrtStatus: GetErrorCode and GetErrorMessage (slots 1 and 2) read it.
        Assert.NotNull(error.ErrorCode);
        Assert.StartsWith($"Running model '{TestModel.AddMatMul}' failed: ORT_", error.Message, StringComparison.Ordinal);
        Assert.Contains("shape", error.Message, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void Wrong_value_counts_are_refused()
    {
        OnnxRunPlan plan = _intOps.CreateRunPlan(["ids", "offset"], ["doubled", "shifted"]);
        using var ids = new OnnxTensor<long>([1, 1]);
        using var doubled = new OnnxTensor<long>([1, 1]);

        var inputs = Assert.Throws<OnnxRuntimeException>(() => plan.Run([ids]));
        var outputs = Assert.Throws<OnnxRuntimeException>(() => plan.Run([ids, ids], [doubled]));

        Assert.Contains("takes 2 input(s) (ids, offset), but 1 were given", inputs.Message, StringComparison.Ordinal);
        Assert.Contains("takes 2 output(s) (doubled, shifted), but 1 were given", outputs.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Reading_an_output_as_the_wrong_type_is_refused()
    {
        OnnxRunPlan plan = _addMatMul.CreateRunPlan(["x"], ["y"]);
        using var x = new OnnxTensor<float>([1, 4]);
        using OnnxOutputs outputs = plan.Run([x]);

        var error = Assert.Throws<OnnxRuntimeException>(() => outputs[0].GetData<long>().ToArray());
        var unknown = Assert.Throws<OnnxRuntimeException>(() => outputs["z"]);

        Assert.Contains("Output 'y' holds Float elements; it cannot be read as Int64", error.Message, StringComparison.Ordinal);
        Assert.Contains("no output 'z'; it has: y", unknown.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_disposed_tensor_is_refused()
    {
        OnnxRunPlan plan = _addMatMul.CreateRunPlan(["x"], ["y"]);
        var x = new OnnxTensor<float>([1, 4]);
        x.Dispose();

        Assert.Throws<ObjectDisposedException>(() => plan.Run([x]));
    }

    [Fact]
    public void A_plan_of_a_disposed_session_is_refused()
    {
        var session = OnnxSession.Load(TestModel.AddMatMul, new OnnxSessionOptions());
        OnnxRunPlan plan = session.CreateRunPlan(["x"], ["y"]);
        using var x = new OnnxTensor<float>([1, 4]);
        session.Dispose();

        Assert.Throws<ObjectDisposedException>(() => plan.Run([x]));
    }

    [Fact]
    public void Disposing_outputs_twice_is_safe_and_frees_them()
    {
        OnnxRunPlan plan = _addMatMul.CreateRunPlan(["x"], ["y"]);
        using var x = new OnnxTensor<float>([1, 4]);
        OnnxOutputs outputs = plan.Run([x]);

        outputs.Dispose();
        outputs.Dispose();

        Assert.True(outputs[0].IsDisposed);
        Assert.Throws<ObjectDisposedException>(() => outputs[0].GetData<float>().ToArray());
    }

    [Fact]
    public void A_default_plan_feeds_every_input_and_fetches_every_output()
    {
        OnnxRunPlan plan = _intOps.CreateRunPlan();

        Assert.Equal(["ids", "offset"], plan.InputNames);
        Assert.Equal(["doubled", "as_float", "shifted"], plan.OutputNames);
    }
}
