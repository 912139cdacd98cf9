using WebRtcAsr.Speech.Onnx;
using Xunit.Abstractions;

namespace WebRtcAsr.Speech.Tests.Onnx;

public sealed class OnnxSessionLoadTests(ITestOutputHelper output) : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("ort-session-test").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void Reads_names_types_shapes_and_symbolic_dimensions()
    {
        using OnnxSession session = OnnxSession.Load(TestModel.AddMatMul, new OnnxSessionOptions());

        OnnxTensorInfo x = Assert.Single(session.Inputs);
        Assert.Equal("x", x.Name);
        Assert.Equal(OnnxElementType.Float, x.ElementType);
        Assert.Equal([-1L, 4L], x.Shape);
        Assert.Equal(["N", ""], x.SymbolicDims);
        Assert.Equal("Float [N, 4]", x.Describe());

        Assert.Equal(["y", "x_plus_one"], session.Outputs.Select(o => o.Name));
        Assert.Equal([-1L, 2L], session.Outputs[0].Shape);
        Assert.Equal(["N", ""], session.Outputs[0].SymbolicDims);
        Assert.Equal([-1L, 4L], session.Outputs[1].Shape);
        Assert.Equal(TestModel.AddMatMul, session.ModelPath);
        Assert.Equal("CPU", session.ExecutionProvider);
    }

    [Fact]
    public void Reads_other_element_types_and_two_symbolic_dimensions()
    {
        using OnnxSession session = OnnxSession.Load(TestModel.IntOps, new OnnxSessionOptions());

        Assert.Equal(
            ["ids: Int64 [N, T]", "offset: Int32 [1]"],
            session.Inputs.Select(i => $"{i.Name}: {i.Describe()}"));
        Assert.Equal(
            ["doubled: Int64 [N, T]", "as_float: Float [N, T]", "shifted: Int32 [1]"],
            session.Outputs.Select(o => $"{o.Name}: {o.Describe()}"));
        Assert.Equal(["N", "T"], session.Inputs[0].SymbolicDims);
        Assert.Equal([-1L, -1L], session.Inputs[0].Shape);
        Assert.Equal([""], session.Inputs[1].SymbolicDims);
    }

    [Fact]
    public void Reads_the_custom_metadata_map_and_model_properties()
    {
        using OnnxSession session = OnnxSession.Load(TestModel.AddMatMul, new OnnxSessionOptions());

        Assert.Equal(3, session.Metadata.Count);
        Assert.Equal("test_add_matmul", session.Metadata["model_type"]);
        Assert.Equal("7", session.Metadata["vocab_size"]);
        Assert.Equal("small integers, exact results", session.Metadata["comment"]);
        Assert.Equal("webrtcasr-test-models", session.ProducerName);
        Assert.Equal("add_matmul", session.GraphName);
        Assert.Equal("MatMul and Add over a symbolic batch", session.Description);
        Assert.Equal(3, session.ModelVersion);
        Assert.Equal("", session.Domain);
    }

    [Fact]
    public void A_missing_file_is_named_in_the_error()
    {
        string path = Path.Combine(_directory, "absent.onnx");

        var error = Assert.Throws<OnnxRuntimeException>(() => OnnxSession.Load(path, new OnnxSessionOptions()));

        Assert.Contains(path, error.Message, StringComparison.Ordinal);
        Assert.Contains("not found", error.Message, StringComparison.Ordinal);
        Assert.Equal(path, error.ModelPath);
    }

    [Fact]
    public void A_file_of_random_bytes_is_named_in_the_error()
    {
        string path = Path.Combine(_directory, "random.onnx");
        var bytes = new byte[4096];
        new Random(1234).NextBytes(bytes);
        File.WriteAllBytes(path, bytes);

        var error = Assert.Throws<OnnxRuntimeException>(() => OnnxSession.Load(path, new OnnxSessionOptions()));
        output.WriteLine(error.Message);

        Assert.Contains($"Loading ONNX model '{path}' failed", error.Message, StringComparison.Ordinal);
        Assert.NotNull(error.ErrorCode);
        Assert.Equal(path, error.ModelPath);
    }

    [Fact]
    public void A_truncated_model_is_named_in_the_error()
    {
        string path = Path.Combine(_directory, "truncated.onnx");
        byte[] model = File.ReadAllBytes(TestModel.AddMatMul);
        File.WriteAllBytes(path, model.AsSpan(0, model.Length / 2).ToArray());

        var error = Assert.Throws<OnnxRuntimeException>(() => OnnxSession.Load(path, new OnnxSessionOptions()));

        Assert.Contains(path, error.Message, StringComparison.Ordinal);
        Assert.Contains("ORT_", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_directory_is_refused_by_name()
    {
        var error = Assert.Throws<OnnxRuntimeException>(() => OnnxSession.Load(_directory, new OnnxSessionOptions()));

        Assert.Contains(_directory, error.Message, StringComparison.Ordinal);
        Assert.Contains("directory", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Disposing_a_session_twice_is_safe_and_it_then_refuses_plans()
    {
        OnnxSession session = OnnxSession.Load(TestModel.AddMatMul, new OnnxSessionOptions());
        session.Dispose();
        session.Dispose();

        Assert.Throws<ObjectDisposedException>(() => session.CreateRunPlan(["x"], ["y"]));
    }

    [Fact]
    public void An_unknown_name_in_a_run_plan_names_it_and_the_model()
    {
        using OnnxSession session = OnnxSession.Load(TestModel.AddMatMul, new OnnxSessionOptions());

        var badInput = Assert.Throws<OnnxRuntimeException>(() => session.CreateRunPlan(["X"], ["y"]));
        var badOutput = Assert.Throws<OnnxRuntimeException>(() => session.CreateRunPlan(["x"], ["z"]));
        var twice = Assert.Throws<OnnxRuntimeException>(() => session.CreateRunPlan(["x"], ["y", "y"]));

        Assert.Contains("no input named 'X'", badInput.Message, StringComparison.Ordinal);
        Assert.Contains("'x'", badInput.Message, StringComparison.Ordinal);
        Assert.Contains(TestModel.AddMatMul, badInput.Message, StringComparison.Ordinal);
        Assert.Contains("no output named 'z'", badOutput.Message, StringComparison.Ordinal);
        Assert.Contains("'y', 'x_plus_one'", badOutput.Message, StringComparison.Ordinal);
        Assert.Contains("named twice", twice.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Cuda_requested_where_it_cannot_run_is_a_clear_error()
    {
        var error = Assert.Throws<OnnxRuntimeException>(
            () => OnnxSession.Load(TestModel.AddMatMul, new OnnxSessionOptions { Provider = ExecutionProviderKind.Cuda }));
        output.WriteLine(error.Message);

        Assert.Contains("CUDA", error.Message, StringComparison.Ordinal);
        Assert.Contains("not available", error.Message, StringComparison.Ordinal);
        Assert.Contains(TestModel.AddMatMul, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Auto_falls_back_to_cpu_and_says_so_once()
    {
        var logger = new RecordingLogger();

        using OnnxSession session = OnnxSession.Load(
            TestModel.AddMatMul, new OnnxSessionOptions { Provider = ExecutionProviderKind.Auto }, logger);

        foreach (string line in logger.Lines) output.WriteLine(line);
        Assert.Equal("CPU", session.ExecutionProvider);
        Assert.Single(logger.Lines, l => l.Contains("using CPU: CUDA execution provider not available", StringComparison.Ordinal));
        string loaded = Assert.Single(logger.Lines, l => l.Contains("Loaded ONNX model", StringComparison.Ordinal));
        Assert.Contains("on CPU (auto: CUDA execution provider not available)", loaded, StringComparison.Ordinal);
    }

    [Fact]
    public void Logs_one_line_saying_where_the_model_runs()
    {
        var logger = new RecordingLogger();

        using OnnxSession session = OnnxSession.Load(TestModel.AddMatMul, new OnnxSessionOptions(), logger);

        string line = Assert.Single(logger.Lines);
        Assert.Contains($"Loaded ONNX model {TestModel.AddMatMul} on CPU (requested); ONNX Runtime 1.23.2, C API 23", line, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(GraphOptimization.None, 2, 1, true)]
    [InlineData(GraphOptimization.Basic, 1, 2, false)]
    [InlineData(GraphOptimization.Extended, 0, 0, false)]
    public void Other_options_load_and_compute_the_same(GraphOptimization optimization, int intra, int inter, bool spin)
    {
        var options = new OnnxSessionOptions { Optimization = optimization, IntraOpThreads = intra, InterOpThreads = inter, AllowSpinning = spin };
        using OnnxSession session = OnnxSession.Load(TestModel.AddMatMul, options);
        OnnxRunPlan plan = session.CreateRunPlan(["x"], ["y"]);
        using var x = new OnnxTensor<float>([1, 4]);
        new float[] { 1, 1, 1, 1 }.CopyTo(x.Span);

        using OnnxOutputs outputs = plan.Run([x]);

        Assert.Equal([22f, 36f], outputs["y"].GetData<float>().ToArray());
    }

    [Fact]
    public void Negative_thread_counts_are_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(
            () => OnnxSession.Load(TestModel.AddMatMul, new OnnxSessionOptions { IntraOpThreads = -1 }));
    }
}
