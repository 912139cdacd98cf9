using Microsoft.Extensions.FileProviders;
using WebRtcAsr.Rtc.Transport;
using WebRtcAsr.Server.Health;
using WebRtcAsr.Server.Metrics;
using WebRtcAsr.Server.Signaling;

namespace WebRtcAsr.Server.Browser;

/// <summary>Wires browser peers to caption sessions, the transport's counters to /metrics, and serves the web client.</summary>
public static class BrowserRegistration
{
    /// <summary>Where the web client's files are: "WebRtcAsr:WebRoot" when set, else a "web" folder (holding index.html) at or above the content root.</summary>
    public const string WebRootKey = "WebRtcAsr:WebRoot";

    /// <summary>
    /// Makes every accepted browser peer a caption session (call before <see cref="SignalingRegistration.AddWebRtcSignaling"/>,
    /// which then uses the <see cref="BrowserCallBinder"/> as its peer event handler). Needs AddCaptionServer.
    /// </summary>
    public static IServiceCollection AddBrowserCaptions(this IServiceCollection services)
    {
        services.AddSingleton<BrowserCallBinder>();
        services.AddSingleton<IPeerEventHandler>(sp => sp.GetRequiredService<BrowserCallBinder>());
        services.AddSingleton<BrowserSessionAdmission>();
        return services;
    }

    /// <summary>
    /// Serves the web client (index.html at "/") when its folder is found, registers the transport's gauges on
    /// /metrics, and declares the UDP port to /readyz.
    /// </summary>
    public static WebApplication UseBrowserCaptions(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var host = app.Services.GetRequiredService<WebRtcPeerHost>();
        ObserveTransport(app.Services.GetRequiredService<ServerMetrics>(), host, app.Services.GetRequiredService<BrowserCallBinder>());

        // /readyz waits for the UDP port too (the peer host binds it when the host starts).
        var readiness = app.Services.GetRequiredService<ReadinessRegistry>();
        readiness.Declare(ReadinessComponents.Udp);
        app.Lifetime.ApplicationStarted.Register(() =>
        {
            if (host.Transport is not null)
            {
                readiness.MarkReady(ReadinessComponents.Udp);
            }
            else
            {
                readiness.MarkNotReady(ReadinessComponents.Udp, "the WebRTC UDP transport did not start");
            }
        });
        if (FindWebRoot(app.Configuration[WebRootKey], app.Environment.ContentRootPath) is { } root)
        {
            var files = new PhysicalFileProvider(root);
            app.UseDefaultFiles(new DefaultFilesOptions { FileProvider = files });
            app.UseStaticFiles(new StaticFileOptions { FileProvider = files });
        }

        return app;
    }

    /// <summary>The configured folder, or the nearest "web" folder holding index.html at or above <paramref name="contentRoot"/>.</summary>
    public static string? FindWebRoot(string? configured, string contentRoot)
    {
        if (!string.IsNullOrWhiteSpace(configured))
        {
            var full = Path.GetFullPath(configured, contentRoot);
            return Directory.Exists(full) ? full : throw new DirectoryNotFoundException($"{WebRootKey}: {full} does not exist");
        }

        for (var dir = new DirectoryInfo(contentRoot); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "web");
            if (File.Exists(Path.Combine(candidate, "index.html")))
            {
                return candidate;
            }
        }

        return null;
    }

    private static void ObserveTransport(ServerMetrics metrics, WebRtcPeerHost host, BrowserCallBinder binder)
    {
        var registry = metrics.Registry;
        registry.Gauge("webrtcasr_webrtc_peers", "WebRTC peers served by the UDP transport.", () => host.Transport?.PeerCount ?? 0);
        registry.Gauge("webrtcasr_webrtc_pending_handshakes", "WebRTC peers still connecting.", () => host.Transport?.PendingHandshakes ?? 0);
        registry.Gauge("webrtcasr_webrtc_calls", "WebRTC peers bound to a caption session.", () => binder.CallCount);
        registry.Gauge("webrtcasr_udp_datagrams_in", "UDP datagrams received since start.", () => host.Transport?.Counters.PacketsIn ?? 0);
        registry.Gauge("webrtcasr_udp_datagrams_out", "UDP datagrams sent since start.", () => host.Transport?.Counters.PacketsOut ?? 0);
        registry.Gauge("webrtcasr_udp_bytes_in", "UDP bytes received since start.", () => host.Transport?.Counters.BytesIn ?? 0);
        registry.Gauge("webrtcasr_udp_bytes_out", "UDP bytes sent since start.", () => host.Transport?.Counters.BytesOut ?? 0);
        registry.Gauge("webrtcasr_udp_datagrams_dropped", "UDP datagrams dropped since start (all reasons).",
            () => host.Transport is { } t ? Enum.GetValues<TransportDropReason>().Sum(r => t.Counters.Dropped(r)) : 0);
    }
}
