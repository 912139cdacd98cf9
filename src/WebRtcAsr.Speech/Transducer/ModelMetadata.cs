using System.Globalization;

namespace WebRtcAsr.Speech.Transducer;

/// <summary>Reads the integer metadata sherpa-onnx expects in a model, failing with the file and key named.</summary>
internal readonly struct ModelMetadata(string filePath, IReadOnlyDictionary<string, string> values)
{
    public string FilePath => filePath;

    public string? GetString(string key) => values.TryGetValue(key, out var v) ? v : null;

    public int GetInt(string key)
    {
        var text = GetString(key) ?? throw Missing(key);
        if (!int.TryParse(text.Trim(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value) || value <= 0)
        {
            throw new TransducerModelException(filePath, $"metadata '{key}' must be a positive integer, got \"{text}\"");
        }

        return value;
    }

    public int[] GetIntList(string key)
    {
        var text = GetString(key) ?? throw Missing(key);
        var parts = text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        var result = new int[parts.Length];
        for (var i = 0; i < parts.Length; i++)
        {
            if (!int.TryParse(parts[i], NumberStyles.None, CultureInfo.InvariantCulture, out result[i]) || result[i] <= 0)
            {
                throw new TransducerModelException(filePath, $"metadata '{key}' must be a comma-separated list of positive integers, got \"{text}\"");
            }
        }

        if (result.Length == 0)
        {
            throw new TransducerModelException(filePath, $"metadata '{key}' is empty");
        }

        return result;
    }

    private TransducerModelException Missing(string key) =>
        new(filePath, $"metadata '{key}' is missing (export the model with icefall's export-onnx script, which writes it)");
}
