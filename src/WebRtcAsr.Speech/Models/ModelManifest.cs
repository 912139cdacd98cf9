using System.Text.Json;
using System.Text.Json.Serialization;

namespace WebRtcAsr.Speech.Models;

/// <summary>One file of a published model: where it comes from and what it must hash to.</summary>
public sealed record ModelFileEntry(
    [property: JsonPropertyName("role")] string Role,
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("url")] Uri Url,
    [property: JsonPropertyName("sha256")] string Sha256,
    [property: JsonPropertyName("size")] long? Size);

/// <summary>A published model the project knows how to fetch (models/manifest.json).</summary>
public sealed record ModelEntry(
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("type")] string Type,
    [property: JsonPropertyName("language")] string Language,
    [property: JsonPropertyName("description")] string Description,
    [property: JsonPropertyName("license")] string License,
    [property: JsonPropertyName("upstream")] Uri Upstream,
    [property: JsonPropertyName("files")] IReadOnlyList<ModelFileEntry> Files);

/// <summary>The list of published models in models/manifest.json.</summary>
public sealed class ModelManifest
{
    private sealed record Document([property: JsonPropertyName("models")] IReadOnlyList<ModelEntry>? Models);

    private ModelManifest(string path, IReadOnlyList<ModelEntry> models)
    {
        Path = path;
        Models = models;
    }

    public string Path { get; }

    public IReadOnlyList<ModelEntry> Models { get; }

    /// <summary>Reads and validates a manifest; every problem names the file.</summary>
    public static ModelManifest Load(string path)
    {
        Document? document;
        try
        {
            using var stream = File.OpenRead(path);
            document = JsonSerializer.Deserialize<Document>(stream);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or JsonException)
        {
            throw new ModelManifestException($"{path}: cannot read the model manifest: {ex.Message}", ex);
        }

        var models = document?.Models ?? throw new ModelManifestException($"{path}: no \"models\" list");
        foreach (var model in models)
        {
            Validate(path, model);
        }

        return new ModelManifest(path, models);
    }

    public ModelEntry Find(string name) =>
        Models.FirstOrDefault(m => string.Equals(m.Name, name, StringComparison.Ordinal))
        ?? throw new ModelManifestException(
            $"{Path}: no model named '{name}'. Known models: {string.Join(", ", Models.Select(m => m.Name))}");

    private static void Validate(string path, ModelEntry model)
    {
        if (string.IsNullOrWhiteSpace(model.Name) || model.Name.IndexOfAny(['/', '\\']) >= 0 || model.Name.StartsWith('.'))
        {
            throw new ModelManifestException($"{path}: model name '{model.Name}' is not a plain folder name");
        }

        if (model.Files is null || model.Files.Count == 0)
        {
            throw new ModelManifestException($"{path}: model '{model.Name}' lists no files");
        }

        foreach (var file in model.Files)
        {
            if (string.IsNullOrWhiteSpace(file.Name) || System.IO.Path.GetFileName(file.Name) != file.Name)
            {
                throw new ModelManifestException($"{path}: model '{model.Name}': file name '{file.Name}' is not a plain file name");
            }

            if (file.Sha256 is null || file.Sha256.Length != 64 || !file.Sha256.All(Uri.IsHexDigit))
            {
                throw new ModelManifestException($"{path}: model '{model.Name}': file '{file.Name}' needs a 64-hex-digit sha256");
            }

            if (file.Url is null || file.Url.Scheme != Uri.UriSchemeHttps)
            {
                throw new ModelManifestException($"{path}: model '{model.Name}': file '{file.Name}' needs an https url");
            }
        }
    }
}

/// <summary>A model manifest that cannot be used, or a model that cannot be fetched.</summary>
public sealed class ModelManifestException : Exception
{
    public ModelManifestException(string message)
        : base(message)
    {
    }

    public ModelManifestException(string message, Exception inner)
        : base(message, inner)
    {
    }

    public ModelManifestException()
    {
    }
}
