namespace WebRtcAsr.Speech.Models;

/// <summary>
/// Where the embedded default model lives: models/&lt;Name&gt;/ in the checkout (found by walking up
/// from the program's folder), unless WEBRTCASR_MODEL names another model folder.
/// </summary>
public static class DefaultModel
{
    /// <summary>Folder name of the project's own model, trained by models/recipes/digits.</summary>
    public const string Name = "digits-en-lstm";

    /// <summary>Environment variable that points at another model folder.</summary>
    public const string EnvironmentVariable = "WEBRTCASR_MODEL";

    /// <summary>The model folder to use when none is given, or a clear error saying where it looked.</summary>
    public static string Resolve()
    {
        var fromEnvironment = Environment.GetEnvironmentVariable(EnvironmentVariable);
        if (!string.IsNullOrWhiteSpace(fromEnvironment))
        {
            return fromEnvironment;
        }

        var searched = new List<string>();
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "models", Name);
            searched.Add(candidate);
            if (File.Exists(Path.Combine(candidate, "tokens.txt")))
            {
                return candidate;
            }
        }

        throw new DirectoryNotFoundException(
            $"the default model '{Name}' was not found (looked in {string.Join(", ", searched.Take(4))}); "
            + $"pass --model DIR or set {EnvironmentVariable}");
    }
}
