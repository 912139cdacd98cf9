namespace WebRtcAsr.Speech.Tests.Reference;

/// <summary>
/// Where the checkout's test inputs live, found from the test binaries' location (never from
/// fixed paths): the repository root is the nearest folder above
/// <see cref="AppContext.BaseDirectory"/> that holds WebRtcAsr.sln.
/// </summary>
public static class RepositoryLayout
{
    private static readonly Lazy<string> LazyRoot = new(FindRoot);

    /// <summary>The repository root (the folder holding WebRtcAsr.sln).</summary>
    public static string Root => LazyRoot.Value;

    /// <summary>The dependencies folder made by scripts/bootstrap.sh ($WEBRTCASR_DEPS or &lt;repo&gt;/.deps).</summary>
    public static string DepsDir =>
        Environment.GetEnvironmentVariable("WEBRTCASR_DEPS") is { Length: > 0 } deps ? deps : Path.Combine(Root, ".deps");

    /// <summary>A fixture model folder under models/fixtures ("zipformer2", "zipformer" or "lstm").</summary>
    public static string FixtureModelDir(string name) =>
        name.StartsWith("digits-", StringComparison.Ordinal)
            ? Path.Combine(Root, "models", name) // the committed default model sits beside the fixtures' folder
            : Path.Combine(Root, "models", "fixtures", name);

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "WebRtcAsr.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException(
            $"no folder above {AppContext.BaseDirectory} holds WebRtcAsr.sln; run the tests from a checkout");
    }
}
