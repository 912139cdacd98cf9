using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using WebRtcAsr.Server.Calls;
using WebRtcAsr.Server.Configuration;
using WebRtcAsr.Server.Sessions;
using WebRtcAsr.Server.Signaling;
using WebRtcAsr.Server.Tests.Support;

namespace WebRtcAsr.Server.Tests.Calls;

/// <summary>
/// The whole server as Program.cs composes it, SIP calls included, on 127.0.0.1 with free ports (HTTP, WebRTC UDP,
/// SIP UDP/TCP, a media port range of its own) and the digit model (or the settings a test gives).
/// </summary>
public sealed class CallCaptionServer : IAsyncDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("webrtcasr-calls-").FullName;
    private WebApplication? app;

    public Uri BaseUri { get; private set; } = null!;

    public Uri HubUri => new(BaseUri, SignalingHub.Path);

    public string ArchiveFolder => Path.Combine(folder, "archive");

    public IPEndPoint SipEndpoint => Sip.UdpEndpoint!;

    public SipCallService Sip => app!.Services.GetRequiredService<SipCallService>();

    public CallDirectory Calls => app!.Services.GetRequiredService<CallDirectory>();

    public SessionRegistry Registry => app!.Services.GetRequiredService<SessionRegistry>();

    public CallMetrics CallMetrics => app!.Services.GetRequiredService<CallMetrics>();

    /// <summary>Starts a server with the defaults below overridden by <paramref name="overrides"/>.</summary>
    public static async Task<CallCaptionServer> StartAsync(IDictionary<string, string?>? overrides = null)
    {
        var server = new CallCaptionServer();
        try
        {
            await server.InitializeAsync(overrides ?? new Dictionary<string, string?>());
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }

        return server;
    }

    /// <summary>
    /// The start of an even media port range of 40 ports, random within 52000–55039: above the bands the SIP tests use
    /// (40000–49999), so test projects running side by side do not take each other's ports.
    /// </summary>
    public static int MediaPortRange() => 52_000 + (2 * Random.Shared.Next(0, 1500));

    private async Task InitializeAsync(IDictionary<string, string?> overrides)
    {
        var settings = TestHost.Settings(ArchiveFolder);
        var media = MediaPortRange();
        settings["WebRtcAsr:UdpPort"] = "0";
        settings["WebRtcAsr:BindAddress"] = "127.0.0.1";
        settings["WebRtcAsr:ModelDir"] = TestSupport.RepoPaths.Model("digits-en-lstm");
        settings["WebRtcAsr:Sip:ListenAddress"] = "127.0.0.1";
        settings["WebRtcAsr:Sip:Port"] = "0";
        settings["WebRtcAsr:Sip:MediaPortFirst"] = media.ToString(System.Globalization.CultureInfo.InvariantCulture);
        settings["WebRtcAsr:Sip:MediaPortLast"] = (media + 39).ToString(System.Globalization.CultureInfo.InvariantCulture);
        settings["WebRtcAsr:Sip:MaxCalls"] = "20";
        foreach (var (key, value) in overrides)
        {
            settings[key] = value;
        }

        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Testing", ContentRootPath = folder });
        builder.Configuration.AddInMemoryCollection(settings);
        builder.Logging.ClearProviders();
        if (Environment.GetEnvironmentVariable("CALLS_TEST_LOG") is not null)
        {
            builder.Logging.AddSimpleConsole().SetMinimumLevel(LogLevel.Debug);
        }
        builder.Services.AddWebRtcAsrServer(builder.Configuration);
        app = builder.Build();
        app.UseWebRtcAsrServer();
        await app.StartAsync();
        BaseUri = TestHost.BaseUri(app);
    }

    /// <summary>Stops the server the way a host stops (calls hung up, sessions flushed, archive written).</summary>
    public async ValueTask DisposeAsync()
    {
        if (app is not null)
        {
            await app.StopAsync();
            await app.DisposeAsync();
            app = null;
        }

        Directory.Delete(folder, recursive: true);
    }

    /// <summary>An access token for the test key, as a page gets it from /v1/auth/grant.</summary>
    public Task<string> GrantAsync() => TestHost.GrantAsync(BaseUri);

    /// <summary>GET /v1/calls with <paramref name="authorization"/> (null: none); the status and the body.</summary>
    public async Task<(HttpStatusCode Status, JsonElement Body)> CallsAsync(string? authorization)
    {
        using var http = new HttpClient { BaseAddress = BaseUri };
        using var request = new HttpRequestMessage(HttpMethod.Get, "v1/calls");
        if (authorization is not null)
        {
            request.Headers.TryAddWithoutValidation("Authorization", authorization);
        }

        using var response = await http.SendAsync(request);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return (response.StatusCode, body.RootElement.Clone());
    }

    public Task<string> MetricsAsync() => TestHost.MetricsAsync(BaseUri);

    /// <summary>Every archive line written so far.</summary>
    public IReadOnlyList<JsonElement> ArchiveLines() =>
        Directory.Exists(ArchiveFolder)
            ? [.. Directory.EnumerateFiles(ArchiveFolder, "*.jsonl").SelectMany(File.ReadAllLines).Where(l => l.Length > 0).Select(l => JsonDocument.Parse(l).RootElement.Clone())]
            : [];
}
