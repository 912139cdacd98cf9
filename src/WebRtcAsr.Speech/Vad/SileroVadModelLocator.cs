using System.Text;

namespace WebRtcAsr.Speech.Vad;

/// <summary>
/// Finds silero_vad_v5.onnx: the file named by <see cref="PathVariable"/>, the copy next to the program
/// (the Speech project copies it there at build time), then .deps/silero/ of the repository the program
/// was built in (found by walking up to WebRtcAsr.sln), or of WEBRTCASR_DEPS when that is set.
/// </summary>
public static class SileroVadModelLocator
{
    /// <summary>File name of the model, as scripts/bootstrap.sh extracts it.</summary>
    public const string FileName = "silero_vad_v5.onnx";

    /// <summary>Environment variable that names the model file explicitly.</summary>
    public const string PathVariable = "WEBRTCASR_VAD_MODEL";

    /// <summary>Environment variable that moves the bootstrap's .deps folder (the same one scripts/bootstrap.sh reads).</summary>
    public const string DepsVariable = "WEBRTCASR_DEPS";

    /// <summary>The model file this process should use; throws <see cref="SileroVadModelNotFoundException"/> naming every place tried.</summary>
    public static string Locate() =>
        Locate(Environment.GetEnvironmentVariable(PathVariable), Environment.GetEnvironmentVariable(DepsVariable), AppContext.BaseDirectory);

    /// <summary>
    /// Tries, in order: <paramref name="explicitPath"/> (when set; a set but missing file is an error, not
    /// a reason to fall back), <see cref="FileName"/> in <paramref name="baseDirectory"/>,
    /// <paramref name="depsDirectory"/>/silero/ (when set), then .deps/silero/ of the first ancestor of
    /// <paramref name="baseDirectory"/> that holds WebRtcAsr.sln.
    /// </summary>
    public static string Locate(string? explicitPath, string? depsDirectory, string baseDirectory)
    {
        ArgumentNullException.ThrowIfNull(baseDirectory);
        if (!string.IsNullOrEmpty(explicitPath))
        {
            if (File.Exists(explicitPath)) return Path.GetFullPath(explicitPath);
            throw new SileroVadModelNotFoundException(
                $"{PathVariable} names the Silero VAD model '{explicitPath}', but there is no such file. " +
                $"Point it at {FileName}, or unset it and run scripts/bootstrap.sh, which puts the model in .deps/silero/.");
        }

        var tried = new StringBuilder();
        foreach (string candidate in Candidates(depsDirectory, baseDirectory))
        {
            if (File.Exists(candidate)) return Path.GetFullPath(candidate);
            if (tried.Length > 0) tried.Append("; ");
            tried.Append(candidate);
        }
        throw new SileroVadModelNotFoundException(
            $"The Silero VAD model {FileName} was not found (looked in: {tried}). " +
            $"Run scripts/bootstrap.sh (it fetches @ricky0123/vad-web 0.0.31 and extracts the model to .deps/silero/), " +
            $"or set {PathVariable} to the model's path.");
    }

    private static IEnumerable<string> Candidates(string? depsDirectory, string baseDirectory)
    {
        yield return Path.Combine(baseDirectory, FileName);
        if (!string.IsNullOrEmpty(depsDirectory)) yield return Path.Combine(depsDirectory, "silero", FileName);
        for (DirectoryInfo? dir = new(Path.GetFullPath(baseDirectory)); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "WebRtcAsr.sln")))
            {
                yield return Path.Combine(dir.FullName, ".deps", "silero", FileName);
                yield break;
            }
        }
    }
}
