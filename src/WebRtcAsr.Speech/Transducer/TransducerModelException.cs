namespace WebRtcAsr.Speech.Transducer;

/// <summary>
/// A transducer model (encoder, decoder, joiner or tokens file) is missing, unreadable or not in the
/// layout sherpa-onnx defines. The message names the file and the problem.
/// </summary>
public sealed class TransducerModelException : Exception
{
    public TransducerModelException()
    {
    }

    public TransducerModelException(string message)
        : base(message)
    {
    }

    public TransducerModelException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Makes the exception for one file and one problem.</summary>
    public TransducerModelException(string filePath, string problem, Exception? innerException = null)
        : base($"{filePath}: {problem}", innerException)
    {
        FilePath = filePath;
        Problem = problem;
    }

    /// <summary>The file at fault, when one is.</summary>
    public string? FilePath { get; }

    /// <summary>What is wrong with it.</summary>
    public string? Problem { get; }
}
