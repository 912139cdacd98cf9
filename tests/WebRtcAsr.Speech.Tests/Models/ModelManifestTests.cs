using System.Net;
using System.Security.Cryptography;
using Microsoft.Extensions.Logging.Abstractions;
using WebRtcAsr.Speech.Models;

namespace WebRtcAsr.Speech.Tests.Models;

public sealed class ModelManifestTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("webrtcasr-manifest-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void The_committed_manifest_lists_the_published_20M_zipformer_with_its_pinned_hashes()
    {
        var manifest = ModelManifest.Load(Path.Combine(WebRtcAsr.TestSupport.RepoPaths.Root, "models", "manifest.json"));

        var model = manifest.Find("sherpa-onnx-streaming-zipformer-en-20M-2023-02-17");
        Assert.Equal("Apache-2.0", model.License);
        var encoder = Assert.Single(model.Files, f => f.Role == "encoder");
        Assert.Equal("3810755ce7c3ab26b42a8bcf39d191308fa27fb0f53358823ba46141d03b7eb3", encoder.Sha256);
        Assert.Equal(42_845_182, encoder.Size);
        Assert.Equal(["decoder", "encoder", "joiner", "tokens"], model.Files.Select(f => f.Role).Order().ToArray());
    }

    [Fact]
    public void An_unknown_model_name_lists_the_known_ones()
    {
        var manifest = ModelManifest.Load(Path.Combine(WebRtcAsr.TestSupport.RepoPaths.Root, "models", "manifest.json"));

        var error = Assert.Throws<ModelManifestException>(() => manifest.Find("no-such-model"));
        Assert.Contains("sherpa-onnx-streaming-zipformer-en-20M-2023-02-17", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{", "cannot read")]
    [InlineData("{}", "no \"models\" list")]
    [InlineData("""{"models":[{"name":"../evil","files":[]}]}""", "not a plain folder name")]
    [InlineData("""{"models":[{"name":"m","files":[{"name":"a/b","url":"https://x/y","sha256":"00"}]}]}""", "not a plain file name")]
    [InlineData("""{"models":[{"name":"m","files":[{"name":"a","url":"https://x/y","sha256":"00"}]}]}""", "64-hex-digit")]
    [InlineData("""{"models":[{"name":"m","files":[{"name":"a","url":"http://x/y","sha256":"0000000000000000000000000000000000000000000000000000000000000000"}]}]}""", "https")]
    public void A_bad_manifest_gives_one_clear_error_naming_the_file(string json, string expected)
    {
        var path = Path.Combine(_dir, "manifest.json");
        File.WriteAllText(path, json);

        var error = Assert.Throws<ModelManifestException>(() => ModelManifest.Load(path));
        Assert.Contains(path, error.Message, StringComparison.Ordinal);
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Fetch_verifies_hashes_keeps_verified_files_and_discards_mismatches()
    {
        byte[] good = [1, 2, 3, 4];
        var served = new Dictionary<string, byte[]> { ["/good"] = good, ["/bad"] = [9, 9] };
        var handler = new ServingHandler(served);
        using var http = new HttpClient(handler);
        var fetcher = new ModelFetcher(http, NullLogger.Instance);
        var goodHash = Convert.ToHexStringLower(SHA256.HashData(good));
        var model = Model(new ModelFileEntry("tokens", "tokens.txt", new Uri("https://models.invalid/good"), goodHash, good.Length));

        await fetcher.FetchAsync(model, _dir, CancellationToken.None);
        Assert.Equal(good, await File.ReadAllBytesAsync(Path.Combine(_dir, "tokens.txt")));
        Assert.Equal(1, handler.Requests);

        await fetcher.FetchAsync(model, _dir, CancellationToken.None);
        Assert.Equal(1, handler.Requests); // already verified: nothing fetched again

        var bad = Model(new ModelFileEntry("encoder", "encoder.onnx", new Uri("https://models.invalid/bad"), goodHash, null));
        var error = await Assert.ThrowsAsync<ModelManifestException>(() => fetcher.FetchAsync(bad, _dir, CancellationToken.None));
        Assert.Contains("does not match the manifest", error.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(_dir, "encoder.onnx")));
        Assert.False(File.Exists(Path.Combine(_dir, "encoder.onnx.partial")));
    }

    [Fact]
    public async Task Fetch_without_network_says_so_clearly()
    {
        using var http = new HttpClient(new UnreachableHandler());
        var fetcher = new ModelFetcher(http, NullLogger.Instance);
        var model = Model(new ModelFileEntry("tokens", "tokens.txt", new Uri("https://models.invalid/x"), new string('0', 64), null));

        var error = await Assert.ThrowsAsync<ModelManifestException>(() => fetcher.FetchAsync(model, _dir, CancellationToken.None));
        Assert.Contains("connected to the internet", error.Message, StringComparison.Ordinal);
    }

    private static ModelEntry Model(ModelFileEntry file) =>
        new("test-model", "lstm", "en", "test", "MIT", new Uri("https://models.invalid/"), [file]);

    /// <summary>Serves fixed bodies by path, standing in for the model host.</summary>
    private sealed class ServingHandler(Dictionary<string, byte[]> bodies) : HttpMessageHandler
    {
        public int Requests { get; private set; }

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Requests++;
            return Task.FromResult(bodies.TryGetValue(request.RequestUri!.AbsolutePath, out var body)
                ? new HttpResponseMessage(HttpStatusCode.OK) { Content = new ByteArrayContent(body) }
                : new HttpResponseMessage(HttpStatusCode.NotFound));
        }
    }

    private sealed class UnreachableHandler : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
            throw new HttpRequestException("Name or service not known (models.invalid:443)");
    }
}
