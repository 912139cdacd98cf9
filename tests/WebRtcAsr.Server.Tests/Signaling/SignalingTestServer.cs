using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using WebRtcAsr.Rtc.Transport;
using WebRtcAsr.Server.Signaling;

namespace WebRtcAsr.Server.Tests.Signaling;

/// <summary>
/// The server's signaling and WebRTC transport hosted on Kestrel at 127.0.0.1 with a free HTTP port
/// and a free UDP port, wired exactly as Program.cs wires them, with the test's peer event handler.
/// </summary>
internal sealed class SignalingTestServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private SignalingTestServer(WebApplication app, Uri baseUri)
    {
        _app = app;
        BaseUri = baseUri;
    }

    public Uri BaseUri { get; }

    public Uri HubUri => new(BaseUri, SignalingHub.Path);

    public WebRtcPeerHost Host => _app.Services.GetRequiredService<WebRtcPeerHost>();

    public UdpPeerTransport Transport => Host.Transport!;

    public static async Task<SignalingTestServer> StartAsync(IPeerEventHandler handler, IDictionary<string, string?>? settings = null,
        Action<WebApplication>? map = null)
    {
        var builder = WebApplication.CreateBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["WebRtcAsr:UdpPort"] = "0",
            ["WebRtcAsr:BindAddress"] = "127.0.0.1",
            ["WebRtcAsr:Auth:AllowUnauthenticatedLocalhost"] = "true", // the options are validated at start; no keys here
        });
        if (settings is not null)
        {
            builder.Configuration.AddInMemoryCollection(settings);
        }

        builder.Services.AddSingleton(handler);
        builder.Services.AddWebRtcSignaling(builder.Configuration);
        var app = builder.Build();
        app.UseWebSockets();
        app.MapWebRtcSignaling();
        map?.Invoke(app);
        await app.StartAsync();
        string address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new SignalingTestServer(app, new Uri(address.Replace("[::]", "127.0.0.1", StringComparison.Ordinal) + "/"));
    }

    public IPEndPoint UdpEndPoint => Transport.LocalEndPoint;

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
