using WebRtcAsr.Server.Browser;
using WebRtcAsr.Server.Calls;
using WebRtcAsr.Server.Signaling;

namespace WebRtcAsr.Server.Configuration;

/// <summary>
/// The whole server in two calls, for Program.cs and for tests that start it in-process: the caption core, browser
/// sessions, WebRTC signaling and SIP calls (each configured by its own settings; <c>WebRtcAsr:Sip:Enabled=false</c>
/// leaves SIP off).
/// </summary>
public static class WebRtcAsrServerComposition
{
    public static IServiceCollection AddWebRtcAsrServer(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddCaptionServer(configuration);
        services.AddBrowserCaptions();
        services.AddWebRtcSignaling(configuration);
        services.AddSipCalls();
        return services;
    }

    public static WebApplication UseWebRtcAsrServer(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.UseBrowserCaptions();
        app.MapCaptionServer();
        app.MapWebRtcSignaling();
        app.MapSipCalls();
        return app;
    }
}
