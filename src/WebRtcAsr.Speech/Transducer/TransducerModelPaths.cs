namespace WebRtcAsr.Speech.Transducer;

/// <summary>The four files of a streaming transducer in sherpa-onnx's layout.</summary>
public sealed record TransducerModelPaths(string Encoder, string Decoder, string Joiner, string Tokens)
{
    /// <summary>
    /// Finds the files in a model directory: tokens.txt and one encoder*.onnx, decoder*.onnx, joiner*.onnx each
    /// (when both a float and an ".int8." variant exist, the float one is taken).
    /// </summary>
    public static TransducerModelPaths FromDirectory(string directory)
    {
        ArgumentNullException.ThrowIfNull(directory);
        if (!Directory.Exists(directory))
        {
            throw new TransducerModelException(directory, "model directory not found");
        }

        return new TransducerModelPaths(
            FindOne(directory, "encoder"),
            FindOne(directory, "decoder"),
            FindOne(directory, "joiner"),
            Path.Combine(directory, "tokens.txt"));
    }

    private static string FindOne(string directory, string part)
    {
        var candidates = Directory.GetFiles(directory, part + "*.onnx");
        Array.Sort(candidates, StringComparer.Ordinal);
        string? floatModel = null;
        string? anyModel = null;
        foreach (var candidate in candidates)
        {
            anyModel ??= candidate;
            if (floatModel is null && !Path.GetFileName(candidate).Contains(".int8.", StringComparison.Ordinal))
            {
                floatModel = candidate;
            }
        }

        return floatModel ?? anyModel
            ?? throw new TransducerModelException(Path.Combine(directory, part + ".onnx"), $"no {part}*.onnx in the model directory");
    }
}
