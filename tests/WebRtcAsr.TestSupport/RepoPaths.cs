namespace WebRtcAsr.TestSupport;

/// <summary>Where the checkout and the shared data are, found from the running program's location.</summary>
public static class RepoPaths
{
    private static readonly Lazy<string> LazyRoot = new(() =>
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "WebRtcAsr.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"no folder above {AppContext.BaseDirectory} holds WebRtcAsr.sln; run from a checkout");
    });

    /// <summary>The repository root (the folder holding WebRtcAsr.sln).</summary>
    public static string Root => LazyRoot.Value;

    /// <summary>
    /// The Free Spoken Digit Dataset recordings: $WEBRTCASR_FSDD, else shared/data/fsdd/recordings beside
    /// the checkout (the project's layout). Throws a clear error when neither exists.
    /// </summary>
    public static string FsddRecordings()
    {
        var fromEnvironment = Environment.GetEnvironmentVariable("WEBRTCASR_FSDD");
        var path = string.IsNullOrEmpty(fromEnvironment)
            ? Path.GetFullPath(Path.Combine(Root, "..", "shared", "data", "fsdd", "recordings"))
            : fromEnvironment;
        return Directory.Exists(path)
            ? path
            : throw new DirectoryNotFoundException($"FSDD recordings not found at {path}; set WEBRTCASR_FSDD to the recordings folder");
    }

    /// <summary>A model folder under models/.</summary>
    public static string Model(string name) => Path.Combine(Root, "models", name);
}
