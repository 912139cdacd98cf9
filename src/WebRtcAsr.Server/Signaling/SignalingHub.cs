using Microsoft.AspNetCore.SignalR;
using WebRtcAsr.Server.Browser;

namespace WebRtcAsr.Server.Signaling;

/// <summary>
/// SignalR hub at /hubs/signaling: a browser sends its offer and gets the answer (all our candidates
/// included, ICE-lite, so no trickle is needed), may hang up, and its peers go away when its
/// connection does. Errors are <see cref="HubException"/>s whose message the client sees.
/// </summary>
public sealed class SignalingHub(WebRtcPeerHost host, IServiceProvider services) : Hub
{
    public const string Path = "/hubs/signaling";

    /// <summary>
    /// Answers <paramref name="sdp"/>; the reply holds the peer id for <see cref="HangUp"/> and, when the server
    /// runs caption sessions, the new session's id.
    /// </summary>
    public OfferAnswer Offer(string sdp) => Accept(sdp, sessionId: null, lastSeq: null);

    /// <summary>
    /// Answers an offer that resumes caption session <paramref name="sessionId"/> after a dropped connection:
    /// messages after <paramref name="lastSeq"/> (the last seq the client received) are sent again once the
    /// captions channel opens. A session that cannot be resumed is replaced by a new one (a new session id).
    /// (SignalR hub methods have no overloads: the page's three-argument Offer reaches this method through
    /// <see cref="OfferResumeProtocol"/>.)
    /// </summary>
    public OfferAnswer Resume(string sdp, string? sessionId, long? lastSeq) => Accept(sdp, sessionId, lastSeq);

    private OfferAnswer Accept(string sdp, string? sessionId, long? lastSeq)
    {
        if (string.IsNullOrWhiteSpace(sdp))
        {
            throw new HubException("offer refused: empty SDP");
        }

        if (services.GetService<BrowserSessionAdmission>() is { } admission)
        {
            var http = Context.GetHttpContext();
            string? credentials = http?.Request.Query["access_token"].ToString();
            if (string.IsNullOrEmpty(credentials))
            {
                credentials = http?.Request.Headers.Authorization.ToString();
            }

            return admission.Offer(sdp, sessionId, lastSeq, Context.ConnectionId, credentials, http?.Connection.RemoteIpAddress);
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
