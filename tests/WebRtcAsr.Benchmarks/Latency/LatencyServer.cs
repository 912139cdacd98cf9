using System.Net.Http.Headers;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using WebRtcAsr.Server.Browser;
using WebRtcAsr.Server.Configuration;
using WebRtcAsr.Server.Signaling;
using WebRtcAsr.TestSupport;

namespace WebRtcAsr.Benchmarks.Latency;

/// <summary>
/// The whole server as Program.cs composes it (caption core, browser sessions, signaling, UDP transport) in this
/// process on 127.0.0.1 with free ports, serving web/ and one extra page; logging off so it costs nothing.
/// </summary>
internal sealed class LatencyServer : IAsyncDisposable
{
    public const string ApiKey = "latency-benchmark-key-0123456789";

    private readonly WebApplication app;
    private readonly string archive;

    private LatencyServer(WebApplication app, string archive, Uri baseUri)
    {
        this.app = app;
        this.archive = archive;
        BaseUri = baseUri;
    }

    public Uri BaseUri { get; }

    public static async Task<LatencyServer> StartAsync(string modelDir, string pagePath, string pageHtml, IReadOnlyDictionary<string, string?> overrides)
    {
        var archive = Directory.CreateTempSubdirectory("webrtcasr-latency-").FullName;
        var settings = new Dictionary<string, string?>
        {
            ["WebRtcAsr:Urls:0"] = "http://127.0.0.1:0",
            ["WebRtcAsr:ModelDir"] = modelDir,
            ["WebRtcAsr:WebRoot"] = Path.Combine(RepoPaths.Root, "web"),
            ["WebRtcAsr:Archive:Folder"] = archive,
            ["WebRtcAsr:Auth:SigningSecret"] = "latency-benchmark-signing-secret-0123",
            ["WebRtcAsr:Auth:Keys:0:Id"] = "benchmark",
            ["WebRtcAsr:Auth:Keys:0:Key"] = ApiKey,
            // The UDP port on loopback, free.
            ["WebRtcAsr:UdpPort"] = "0",
            ["WebRtcAsr:BindAddress"] = "127.0.0.1",
        };
        foreach (var (key, value) in overrides)
        {
            settings[key] = value;
        }

        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Testing", ContentRootPath = archive });
        builder.Configuration.AddInMemoryCollection(settings);
        builder.Logging.ClearProviders();
        builder.Services.AddCaptionServer(builder.Configuration);
        builder.Services.AddBrowserCaptions();
        builder.Services.AddWebRtcSignaling(builder.Configuration);
        var app = builder.Build();
        app.UseBrowserCaptions();
        app.MapCaptionServer();
        app.MapWebRtcSignaling();
        app.MapGet(pagePath, () => Results.Content(pageHtml, "text/html"));
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new LatencyServer(app, archive, new Uri(address.Replace("[::]", "127.0.0.1", StringComparison.Ordinal).TrimEnd('/') + "/"));
    }

    /// <summary>An access token, as a page gets it from /v1/auth/grant.</summary>
    public async Task<string> GrantAsync()
    {
        using var http = new HttpClient { BaseAddress = BaseUri };
        using var request = new HttpRequestMessage(HttpMethod.Post, "v1/auth/grant");
        request.Headers.Authorization = new AuthenticationHeaderValue("Token", ApiKey);
        using var response = await http.SendAsync(request);
        response.EnsureSuccessStatusCode();
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return body.RootElement.GetProperty("access_token").GetString()!;
    }

    public async Task<string> MetricsAsync()
    {
        using var http = new HttpClient { BaseAddress = BaseUri };
        return await http.GetStringAsync(new Uri("metrics", UriKind.Relative));
    }

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
        Directory.Delete(archive, recursive: true);
    }
}
