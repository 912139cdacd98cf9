using WebRtcAsr.Speech.Onnx;

namespace WebRtcAsr.Speech.Tests.Onnx;

public sealed class OnnxRuntimeLibraryTests : IDisposable
{
    private readonly string _emptyDirectory = Directory.CreateTempSubdirectory("ort-lib-test").FullName;

    public void Dispose() => Directory.Delete(_emptyDirectory, recursive: true);

    [Fact]
    public void Names_the_library_every_place_tried_and_the_fix_when_none_loads()
    {
        string missing = Path.Combine(_emptyDirectory, "nowhere", "libonnxruntime.so.1");

        var error = Assert.Throws<OnnxRuntimeNotFoundException>(
            () => OnnxRuntimeLibrary.Load(missing, _emptyDirectory, searchDefault: false, out _));

        Assert.Contains("libonnxruntime.so.1", error.Message, StringComparison.Ordinal);
        Assert.Contains($"WEBRTCASR_ONNXRUNTIME={missing}: no such file", error.Message, StringComparison.Ordinal);
        Assert.Contains(Path.Combine(_emptyDirectory, "libonnxruntime.so.1") + ": no such file", error.Message, StringComparison.Ordinal);
        Assert.Contains("run scripts/bootstrap.sh (it fetches onnxruntime-node 1.23.2)", error.Message, StringComparison.OrdinalIgnoreCase);
        Assert.IsType<OnnxRuntimeException>(error, exactMatch: false);
    }

    [Fact]
    public void Says_why_a_file_that_is_not_a_library_was_refused()
    {
        string notALibrary = Path.Combine(_emptyDirectory, "libonnxruntime.so.1");
        File.WriteAllText(notALibrary, "this is text, not ELF");

        var error = Assert.Throws<OnnxRuntimeNotFoundException>(
            () => OnnxRuntimeLibrary.Load(null, _emptyDirectory, searchDefault: false, out _));

        Assert.Contains(notALibrary + ":", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("no such file", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Loads_the_file_the_environment_variable_names_first()
    {
        string real = Path.Combine(AppContext.BaseDirectory, "libonnxruntime.so.1");

        nint handle = OnnxRuntimeLibrary.Load(real, _emptyDirectory, searchDefault: false, out string from);

        Assert.NotEqual(0, handle);
        Assert.Equal(real, from);
    }

    [Fact]
    public void Falls_back_to_the_copy_beside_the_program()
    {
        nint handle = OnnxRuntimeLibrary.Load(Path.Combine(_emptyDirectory, "absent.so"), AppContext.BaseDirectory, searchDefault: false, out string from);

        Assert.NotEqual(0, handle);
        Assert.Equal(Path.Combine(AppContext.BaseDirectory, "libonnxruntime.so.1"), from);
    }
}
