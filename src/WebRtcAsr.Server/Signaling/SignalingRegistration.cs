using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Protocol;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using WebRtcAsr.Server.Configuration;
using WebRtcAsr.Rtc.PeerConnection;
using WebRtcAsr.Rtc.Transport;

namespace WebRtcAsr.Server.Signaling;

/// <summary>Wires the WebRTC transport and the signaling hub into the host.</summary>
public static class SignalingRegistration
{
    /// <summary>
    /// Registers the server's options (the "WebRtcAsr" section: UdpPort, BindAddress, HostAddresses, PublicAddress, Dtls,
    /// Limits), the peer host (a hosted service) and SignalR. The application's
    /// <see cref="IPeerEventHandler"/> receives peer events; without one, events are only counted.
    /// </summary>
    public static IServiceCollection AddWebRtcSignaling(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddServerOptions(configuration);
        services.TryAddSingleton<IPeerEventHandler, IgnoringPeerEventHandler>();
        services.AddSingleton<WebRtcPeerHost>();
        services.AddHostedService(sp => sp.GetRequiredService<WebRtcPeerHost>());
        services.AddSignalR(o =>
        {
            // An offer with many candidates and codecs is a few KiB; leave room, the host enforces Limits:MaxOfferLength.
            o.MaximumReceiveMessageSize = 128 * 1024;
            o.EnableDetailedErrors = false;
        });
        // The JSON protocol that also binds the web client's three-argument Offer (a reconnect) to Resume.
        services.RemoveAll<IHubProtocol>();
        services.AddSingleton<IHubProtocol>(sp => new OfferResumeProtocol(new JsonHubProtocol(sp.GetRequiredService<IOptions<JsonHubProtocolOptions>>())));
        return services;
    }

    public static IEndpointRouteBuilder MapWebRtcSignaling(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapHub<SignalingHub>(SignalingHub.Path);
        return endpoints;
    }

    /// <summary>Until sessions exist (later), peers connect and their media is dropped.</summary>
    private sealed class IgnoringPeerEventHandler : IPeerEventHandler
    {
        public void OnEvent(TransportPeer peer, in PeerConnectionEvent peerEvent)
        {
        }

        public void OnRemoved(TransportPeer peer)
        {
        }
    }
}
