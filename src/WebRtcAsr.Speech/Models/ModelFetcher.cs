using System.Security.Cryptography;
using Microsoft.Extensions.Logging;

namespace WebRtcAsr.Speech.Models;

/// <summary>
/// Downloads a published model's files into a folder, verifying each file's SHA-256.
/// Files already present with the right hash are kept, so a second fetch does nothing.
/// </summary>
public sealed class ModelFetcher
{
    private readonly HttpClient _http;
    private readonly ILogger _logger;

    public ModelFetcher(HttpClient http, ILogger logger)
    {
        _http = http;
        _logger = logger;
    }

    /// <summary>Fetches every file of <paramref name="model"/> into <paramref name="directory"/>.</summary>
    public async Task FetchAsync(ModelEntry model, string directory, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(model);
        Directory.CreateDirectory(directory);
        foreach (var file in model.Files)
        {
            var target = Path.Combine(directory, file.Name);
            if (File.Exists(target) && string.Equals(await HashAsync(target, cancellationToken).ConfigureAwait(false), file.Sha256, StringComparison.OrdinalIgnoreCase))
            {
                _logger.LogInformation("{File} is already present and verified", target);
                continue;
            }

            await DownloadAsync(model, file, target, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task DownloadAsync(ModelEntry model, ModelFileEntry file, string target, CancellationToken cancellationToken)
    {
        var partial = target + ".partial";
        _logger.LogInformation("Fetching {Url}", file.Url);
        try
        {
            using (var response = await _http.GetAsync(file.Url, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false))
            {
                if (!response.IsSuccessStatusCode)
                {
                    throw new ModelManifestException(
                        $"model '{model.Name}': {file.Url} answered {(int)response.StatusCode} {response.ReasonPhrase}");
                }

                var source = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
                await using (source.ConfigureAwait(false))
                {
                    var sink = File.Create(partial);
                    await using (sink.ConfigureAwait(false))
                    {
                        await source.CopyToAsync(sink, cancellationToken).ConfigureAwait(false);
                    }
                }
            }
        }
        catch (HttpRequestException ex)
        {
            File.Delete(partial);
            throw new ModelManifestException(
                $"model '{model.Name}': cannot download {file.Url} ({ex.Message}). Is this machine connected to the internet? "
                + $"Without network, copy the files into {Path.GetDirectoryName(target)} by hand; they are checked against the manifest's SHA-256.",
                ex);
        }

        var size = new FileInfo(partial).Length;
        var hash = await HashAsync(partial, cancellationToken).ConfigureAwait(false);
        if (!string.Equals(hash, file.Sha256, StringComparison.OrdinalIgnoreCase) || (file.Size is { } expected && expected != size))
        {
            File.Delete(partial);
            throw new ModelManifestException(
                $"model '{model.Name}': {file.Name} from {file.Url} does not match the manifest "
                + $"(sha256 {hash}, {size} bytes; expected {file.Sha256}{(file.Size is { } s ? $", {s} bytes" : "")}); it was discarded");
        }

        File.Move(partial, target, overwrite: true);
        _logger.LogInformation("{File}: {Size} bytes, sha256 verified", target, size);
    }

    private static async Task<string> HashAsync(string path, CancellationToken cancellationToken)
    {
        var stream = File.OpenRead(path);
        await using (stream.ConfigureAwait(false))
        {
            var hash = await SHA256.HashDataAsync(stream, cancellationToken).ConfigureAwait(false);
            return Convert.ToHexStringLower(hash);
        }
    }
}
