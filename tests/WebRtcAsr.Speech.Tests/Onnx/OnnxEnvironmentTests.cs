using WebRtcAsr.Speech.Onnx;
using Xunit.Abstractions;

namespace WebRtcAsr.Speech.Tests.Onnx;

public class OnnxEnvironmentTests(ITestOutputHelper output)
{
    [Fact]
    public void Reports_the_pinned_runtime_and_its_own_api_version()
    {
        OnnxEnvironment env = OnnxEnvironment.Shared;

        // scripts/bootstrap.sh pins onnxruntime-node 1.23.2, whose C API version is 23.
        Assert.Equal("1.23.2", env.RuntimeVersion);
        Assert.Equal(23, env.ApiVersion);
        Assert.Null(env.ApiVersionNote);
        Assert.Same(env, OnnxEnvironment.Shared);
    }

    [Fact]
    public void Reads_the_provider_list_and_build_info_through_their_slots()
    {
        OnnxEnvironment env = OnnxEnvironment.Shared;
        output.WriteLine($"library: {env.LibraryLocation}");
        output.WriteLine($"providers: {string.Join(", ", env.AvailableProviders)}");
        output.WriteLine(env.BuildInfo);

        // GetAvailableProviders (slot 125) and GetBuildInfoString (slot 254, near the end of what is used):
        // a miscounted table would return garbage or crash here.
        Assert.Contains("CPUExecutionProvider", env.AvailableProviders);
        Assert.All(env.AvailableProviders, p => Assert.EndsWith("ExecutionProvider", p, StringComparison.Ordinal));
        Assert.StartsWith("ORT Build Info:", env.BuildInfo, StringComparison.Ordinal);
        Assert.Contains("git-commit-id", env.BuildInfo, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("1.23.2", 23)]
    [InlineData("1.16.0", 16)]
    [InlineData("1.9", 9)]
    public void Parses_the_api_version_from_the_runtime_version(string version, int api)
    {
        Assert.Equal(api, OnnxEnvironment.ParseApiVersion(version));
    }

    [Theory]
    [InlineData("")]
    [InlineData("2.0.0")]
    [InlineData("1.x.0")]
    [InlineData("1")]
    public void Gives_no_api_version_for_unexpected_version_text(string version)
    {
        Assert.Null(OnnxEnvironment.ParseApiVersion(version));
    }

    [Fact]
    public void Disposing_the_shared_environment_leaves_it_usable()
    {
        OnnxEnvironment.Shared.Dispose();
        OnnxEnvironment.Shared.Dispose();

        using OnnxSession session = OnnxSession.Load(TestModel.AddMatMul, new OnnxSessionOptions());
        Assert.Equal("x", session.Inputs[0].Name);
    }

    [Fact]
    public void Onnx_runtimes_own_log_lines_go_to_the_native_logger()
    {
        var logger = new RecordingLogger();
        OnnxEnvironment.NativeLogger = logger;
        try
        {
            using OnnxSession session = OnnxSession.Load(TestModel.AddMatMul, new OnnxSessionOptions());
            OnnxRunPlan plan = session.CreateRunPlan(["x"], ["y"]);
            using var x = new OnnxTensor<float>([2, 4]);
            using var y = new OnnxTensor<float>([5, 2]); // ONNX Runtime logs an error, then returns it

            Assert.Throws<OnnxRuntimeException>(() => plan.Run([x], [y]));
        }
        finally
        {
            OnnxEnvironment.NativeLogger = null;
        }

        Assert.Contains(logger.Lines, l => l.StartsWith("Error: onnxruntime ", StringComparison.Ordinal) && l.Contains("{5,2}", StringComparison.Ordinal));
    }

    [Fact]
    public void Asks_for_the_librarys_own_api_version_first()
    {
        var asked = new List<int>();

        var (table, version, note) = OnnxEnvironment.NegotiateApi(v => { asked.Add(v); return 0x1000; }, "1.20.1", "lib");

        Assert.Equal([20], asked);
        Assert.Equal(20, version);
        Assert.Equal(0x1000, table);
        Assert.Null(note);
    }

    [Fact]
    public void Caps_the_request_at_the_newest_version_the_binding_knows()
    {
        var (_, version, note) = OnnxEnvironment.NegotiateApi(v => v <= 23 ? 1 : 0, "1.30.0", "lib");

        Assert.Equal(OnnxEnvironment.NewestKnownApiVersion, version);
        Assert.Null(note);
    }

    [Fact]
    public void Falls_back_to_older_api_versions_and_says_which()
    {
        var asked = new List<int>();

        var (_, version, note) = OnnxEnvironment.NegotiateApi(v => { asked.Add(v); return v <= 18 ? 1 : 0; }, "1.23.2", "lib");

        Assert.Equal([23, 22, 21, 20, 19, 18], asked);
        Assert.Equal(18, version);
        Assert.Equal("ONNX Runtime 1.23.2 refused C API version 23; using version 18", note);
    }

    [Fact]
    public void Refuses_a_runtime_older_than_the_floor()
    {
        var error = Assert.Throws<OnnxRuntimeException>(() => OnnxEnvironment.NegotiateApi(_ => 0, "1.15.0", "/opt/ort/libonnxruntime.so.1"));

        Assert.Contains("ONNX Runtime 1.15.0 (at /opt/ort/libonnxruntime.so.1) offers no C API version this binding can use (16 to 23", error.Message, StringComparison.Ordinal);
        Assert.Contains("scripts/bootstrap.sh", error.Message, StringComparison.Ordinal);
    }
}
