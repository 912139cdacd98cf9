using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using WebRtcAsr.Rtc.Transport;
using WebRtcAsr.Server.Browser;
using WebRtcAsr.Server.Configuration;
using WebRtcAsr.Server.Sessions;
using WebRtcAsr.Server.Signaling;
using WebRtcAsr.Server.Tests.Support;

namespace WebRtcAsr.Server.Tests.Browser;

/// <summary>
/// The whole server as Program.cs composes it (caption core, browser sessions, signaling, UDP transport) on
/// 127.0.0.1 with free ports and the LSTM fixture model; one per test class.
/// </summary>
public sealed class BrowserCaptionServer : IAsyncLifetime
{
    private readonly string archive = Directory.CreateTempSubdirectory("webrtcasr-browser-").FullName;
    private WebApplication? app;

    /// <summary>Settings over the defaults (before start).</summary>
    public Dictionary<string, string?> Overrides { get; } = [];

    /// <summary>Maps more endpoints (a test page) before start.</summary>
    public Action<WebApplication>? Map { get; init; }

    public Uri BaseUri { get; private set; } = null!;

    public Uri HubUri => new(BaseUri, SignalingHub.Path);

    public IPEndPoint UdpEndPoint => Transport.LocalEndPoint;

    public UdpPeerTransport Transport => app!.Services.GetRequiredService<WebRtcPeerHost>().Transport!;

    public WebRtcPeerHost Host => app!.Services.GetRequiredService<WebRtcPeerHost>();

    public SessionRegistry Registry => app!.Services.GetRequiredService<SessionRegistry>();

    public BrowserCallBinder Binder => app!.Services.GetRequiredService<BrowserCallBinder>();

    public async Task InitializeAsync()
    {
        var settings = TestHost.Settings(archive);
        settings["WebRtcAsr:UdpPort"] = "0";
        settings["WebRtcAsr:BindAddress"] = "127.0.0.1";
        settings["WebRtcAsr:Timeouts:ReconnectGraceSeconds"] = "3";
        settings["WebRtcAsr:Sip:Enabled"] = "false"; // browser tests; the call tests start SIP on free ports
        foreach (var (key, value) in Overrides)
        {
            settings[key] = value;
        }

        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Testing", ContentRootPath = archive });
        builder.Configuration.AddInMemoryCollection(settings);
        builder.Logging.ClearProviders();
        builder.Services.AddWebRtcAsrServer(builder.Configuration);
        app = builder.Build();
        app.UseWebRtcAsrServer();
        Map?.Invoke(app);
        await app.StartAsync();
        BaseUri = TestHost.BaseUri(app);
    }

    public async Task DisposeAsync()
    {
        await app!.StopAsync();
        await app.DisposeAsync();
        Directory.Delete(archive, recursive: true);
    }

    /// <summary>An access token for the test key, as a page gets it from /v1/auth/grant.</summary>
    public Task<string> GrantAsync() => TestHost.GrantAsync(BaseUri);

    public Task<string> MetricsAsync() => TestHost.MetricsAsync(BaseUri);

    /// <summary>Waits until no session, call or peer is left (a hang-up's session ends after the reconnect grace).</summary>
    public Task<bool> NothingLeftAsync() => Signaling.PeerEventLog.WaitForAsync(() =>
        Registry.Count == 0 && Binder.CallCount == 0 && Transport.PeerCount == 0 && Transport.ActiveWorkers == 0
        && Transport.ActiveTimers == 0 && Host.TrackedPeerCount == 0 && Host.TrackedOwnerCount == 0);

    public string Counts() =>
        $"sessions {Registry.Count}, calls {Binder.CallCount}, peers {Transport.PeerCount}, workers {Transport.ActiveWorkers}, timers {Transport.ActiveTimers}, tracked {Host.TrackedPeerCount}";
}
