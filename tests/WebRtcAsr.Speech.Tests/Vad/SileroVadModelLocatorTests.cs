using WebRtcAsr.Speech.Vad;

namespace WebRtcAsr.Speech.Tests.Vad;

public sealed class SileroVadModelLocatorTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("vad-locator-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public void The_variable_wins_over_every_other_place()
    {
        string named = Touch("elsewhere/my.onnx");
        string program = Directory.CreateDirectory(Path.Combine(_root, "app")).FullName;
        Touch("app/" + SileroVadModelLocator.FileName);
        Assert.Equal(named, SileroVadModelLocator.Locate(named, null, program));
    }

    [Fact]
    public void A_variable_naming_a_missing_file_is_an_error_not_a_fallback()
    {
        string program = Directory.CreateDirectory(Path.Combine(_root, "app")).FullName;
        Touch("app/" + SileroVadModelLocator.FileName);
        string missing = Path.Combine(_root, "nope.onnx");
        var e = Assert.Throws<SileroVadModelNotFoundException>(() => SileroVadModelLocator.Locate(missing, null, program));
        Assert.Contains(SileroVadModelLocator.PathVariable, e.Message, StringComparison.Ordinal);
        Assert.Contains(missing, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Next_to_the_program_comes_before_the_repository()
    {
        Touch("WebRtcAsr.sln");
        Touch(".deps/silero/" + SileroVadModelLocator.FileName);
        string beside = Touch("bin/app/" + SileroVadModelLocator.FileName);
        Assert.Equal(beside, SileroVadModelLocator.Locate(null, null, Path.Combine(_root, "bin", "app")));
    }

    [Fact]
    public void The_deps_variable_is_looked_in_before_the_repository()
    {
        Touch("WebRtcAsr.sln");
        Touch(".deps/silero/" + SileroVadModelLocator.FileName);
        string moved = Touch("shared-deps/silero/" + SileroVadModelLocator.FileName);
        string program = Directory.CreateDirectory(Path.Combine(_root, "bin", "app")).FullName;
        Assert.Equal(moved, SileroVadModelLocator.Locate(null, Path.Combine(_root, "shared-deps"), program));
    }

    [Fact]
    public void The_repository_is_found_by_walking_up_to_its_solution_file()
    {
        Touch("WebRtcAsr.sln");
        string inRepo = Touch(".deps/silero/" + SileroVadModelLocator.FileName);
        string program = Directory.CreateDirectory(Path.Combine(_root, "tests", "x", "bin", "Debug", "net10.0")).FullName;
        Assert.Equal(inRepo, SileroVadModelLocator.Locate(null, null, program));
    }

    [Fact]
    public void Nothing_found_says_where_it_looked_and_what_to_run()
    {
        Touch("WebRtcAsr.sln");
        string program = Directory.CreateDirectory(Path.Combine(_root, "bin", "app")).FullName;
        var e = Assert.Throws<SileroVadModelNotFoundException>(() => SileroVadModelLocator.Locate("", null, program));
        Assert.Contains("scripts/bootstrap.sh", e.Message, StringComparison.Ordinal);
        Assert.Contains(SileroVadModelLocator.PathVariable, e.Message, StringComparison.Ordinal);
        Assert.Contains(Path.Combine(program, SileroVadModelLocator.FileName), e.Message, StringComparison.Ordinal);
        Assert.Contains(Path.Combine(_root, ".deps", "silero", SileroVadModelLocator.FileName), e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_build_copies_the_model_next_to_the_program()
    {
        // The Speech project copies .deps/silero/silero_vad_v5.onnx into every output folder.
        Assert.True(File.Exists(Path.Combine(AppContext.BaseDirectory, SileroVadModelLocator.FileName)));
    }

    private string Touch(string relative)
    {
        string path = Path.Combine(_root, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllBytes(path, [1]);
        return path;
    }
}
