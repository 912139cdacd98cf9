using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using WebRtcAsr.Server.Configuration;
using WebRtcAsr.Server.Tests.Support;
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
            // The UDP port on loopback, free; no SIP.
            ["WebRtcAsr:Sip:Enabled"] = "false",
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
        builder.Services.AddWebRtcAsrServer(builder.Configuration);
        var app = builder.Build();
        app.UseWebRtcAsrServer();
        app.MapGet(pagePath, () => Results.Content(pageHtml, "text/html"));
        await app.StartAsync();
        return new LatencyServer(app, archive, TestHost.BaseUri(app));
    }

    /// <summary>An access token, as a page gets it from /v1/auth/grant.</summary>
    public Task<string> GrantAsync() => TestHost.GrantAsync(BaseUri, ApiKey);

    public Task<string> MetricsAsync() => TestHost.MetricsAsync(BaseUri);

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
        Directory.Delete(archive, recursive: true);
    }
}
