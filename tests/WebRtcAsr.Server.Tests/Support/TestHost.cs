using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using WebRtcAsr.Server.Configuration;
using WebRtcAsr.TestSupport;

namespace WebRtcAsr.Server.Tests.Support;

/// <summary>The server's composition (AddCaptionServer, MapCaptionServer) on Kestrel at 127.0.0.1:0, in process.</summary>
internal static class TestHost
{
    public const string ApiKey = "test-api-key-0123456789";

    public static Dictionary<string, string?> Settings(string archiveFolder) => new()
    {
        ["WebRtcAsr:Urls:0"] = "http://127.0.0.1:0",
        ["WebRtcAsr:ModelDir"] = RepoPaths.Model(Path.Combine("fixtures", "lstm")),
        ["WebRtcAsr:Archive:Folder"] = archiveFolder,
        ["WebRtcAsr:Auth:SigningSecret"] = "signing-secret-signing-secret-0123",
        ["WebRtcAsr:Auth:Keys:0:Id"] = "tester",
        ["WebRtcAsr:Auth:Keys:0:Key"] = ApiKey,
        ["WebRtcAsr:Auth:Keys:0:WatchCalls"] = "true",
    };

    public static WebApplication Build(IDictionary<string, string?> settings)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            EnvironmentName = "Testing",
            ContentRootPath = Path.GetTempPath(),
        });
        builder.Configuration.AddInMemoryCollection(settings);
        builder.Logging.ClearProviders();
        builder.Services.AddCaptionServer(builder.Configuration);
        var app = builder.Build();
        app.MapCaptionServer();
        return app;
    }

    public static Uri Address(WebApplication app) =>
        new(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());

    /// <summary>The started app's HTTP address as a base URI a client can reach (127.0.0.1 for "any").</summary>
    public static Uri BaseUri(WebApplication app) =>
        new(Address(app).ToString().Replace("[::]", "127.0.0.1", StringComparison.Ordinal).TrimEnd('/') + "/");

    /// <summary>An access token for <paramref name="apiKey"/> (default: the test key), as a page gets it from /v1/auth/grant.</summary>
    public static async Task<string> GrantAsync(Uri baseUri, string apiKey = ApiKey)
    {
        using var http = new HttpClient { BaseAddress = baseUri };
        using var request = new HttpRequestMessage(HttpMethod.Post, "v1/auth/grant");
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Token", apiKey);
        using var response = await http.SendAsync(request);
        response.EnsureSuccessStatusCode();
        using var body = System.Text.Json.JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return body.RootElement.GetProperty("access_token").GetString()!;
    }

    /// <summary>GET /metrics.</summary>
    public static async Task<string> MetricsAsync(Uri baseUri)
    {
        using var http = new HttpClient { BaseAddress = baseUri };
        return await http.GetStringAsync(new Uri("metrics", UriKind.Relative));
    }
}
