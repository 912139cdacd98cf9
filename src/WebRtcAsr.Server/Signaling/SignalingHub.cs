using Microsoft.AspNetCore.SignalR;

namespace WebRtcAsr.Server.Signaling;

/// <summary>
/// SignalR hub at /hubs/signaling: a browser sends its offer and gets the answer (all our candidates
/// included, ICE-lite, so no trickle is needed), may hang up, and its peers go away when its
/// connection does. Errors are <see cref="HubException"/>s whose message the client sees.
/// </summary>
public sealed class SignalingHub(WebRtcPeerHost host) : Hub
{
    public const string Path = "/hubs/signaling";

    /// <summary>Answers <paramref name="sdp"/>; the reply holds the peer id for <see cref="HangUp"/>.</summary>
    public OfferAnswer Offer(string sdp)
    {
        if (string.IsNullOrWhiteSpace(sdp))
        {
            throw new HubException("offer refused: empty SDP");
        }

        if (!host.TryAccept(sdp, Context.ConnectionId, out var answer, out var error))
        {
            throw new HubException("offer refused: " + error);
        }

        return answer!;
    }

    /// <summary>
    /// Accepted and ignored: our ICE-lite side learns the browser's address from its checks
    /// (peer-reflexive), so remote candidates are not needed. Only the peer's owner may call it.
    /// </summary>
    public void AddIceCandidate(string peerId, string? candidate)
    {
        _ = candidate;
        if (!host.Owns(peerId, Context.ConnectionId))
        {
            throw new HubException("unknown peer");
        }
    }

    /// <summary>Closes the peer gracefully (SCTP shutdown, DTLS close_notify).</summary>
    public void HangUp(string peerId)
    {
        if (!host.HangUp(peerId, Context.ConnectionId))
        {
            throw new HubException("unknown peer");
        }
    }

    public override Task OnDisconnectedAsync(Exception? exception)
    {
        host.HangUpAll(Context.ConnectionId);
        return base.OnDisconnectedAsync(exception);
    }
}
