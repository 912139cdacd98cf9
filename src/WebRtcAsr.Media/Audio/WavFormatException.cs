namespace WebRtcAsr.Media.Audio;

/// <summary>A WAV file could not be read; the message names the file and the problem.</summary>
public sealed class WavFormatException : Exception
{
    public WavFormatException()
    {
    }

    public WavFormatException(string message)
        : base(message)
    {
    }

    public WavFormatException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    internal WavFormatException(string sourceName, string problem)
        : base($"{sourceName}: {problem}")
    {
        SourceName = sourceName;
        Problem = problem;
    }

    /// <summary>The file (or other source) that was read.</summary>
    public string? SourceName { get; }

    /// <summary>The problem alone, without the source name.</summary>
    public string? Problem { get; }
}
