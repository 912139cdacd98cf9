namespace WebRtcAsr.Speech.Tests.Reference;

/// <summary>
/// Where the checkout's test inputs live, found from the test binaries' location (never from
/// fixed paths): the repository root is the nearest folder above
/// <see cref="AppContext.BaseDirectory"/> that holds WebRtcAsr.sln.
/// </summary>
public static class RepositoryLayout
{
    /// <summary>The repository root (the folder holding WebRtcAsr.sln).</summary>
    public static string Root => WebRtcAsr.TestSupport.RepoPaths.Root;

    /// <summary>The dependencies folder made by scripts/bootstrap.sh ($WEBRTCASR_DEPS or &lt;repo&gt;/.deps).</summary>
    public static string DepsDir =>
        Environment.GetEnvironmentVariable("WEBRTCASR_DEPS") is { Length: > 0 } deps ? deps : Path.Combine(Root, ".deps");

    /// <summary>A fixture model folder under models/fixtures ("zipformer2", "zipformer" or "lstm").</summary>
    public static string FixtureModelDir(string name) =>
        name.StartsWith("digits-", StringComparison.Ordinal)
            ? Path.Combine(Root, "models", name) // the committed default model sits beside the fixtures' folder
            : Path.Combine(Root, "models", "fixtures", name);
}
