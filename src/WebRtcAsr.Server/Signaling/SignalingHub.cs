using Microsoft.AspNetCore.SignalR;
using WebRtcAsr.Server.Browser;
using WebRtcAsr.Server.Calls;

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

    /// <summary>
    /// Joins the caller to a phone call's group: it then receives the call's caption messages ("Caption", with
    /// call_id, from, to) and its end ("CallEnded"); the answer holds what the call has said so far. Errors:
    /// "unauthorized", "unknown_call", "watch_limit".
    /// </summary>
    public Task<CallWatch> WatchCall(string callId) =>
        services.GetService<CallWatching>() is { } watching ? watching.WatchAsync(Context, Groups, callId) : throw new HubException("unknown_call: this server takes no phone calls");

    /// <summary>Leaves a call's group (unknown ids are ignored).</summary>
    public Task UnwatchCall(string callId) =>
        services.GetService<CallWatching>() is { } watching ? watching.UnwatchAsync(Context, Groups, callId) : Task.CompletedTask;

    public override Task OnDisconnectedAsync(Exception? exception)
    {
        services.GetService<CallWatching>()?.Disconnected(Context);
        host.HangUpAll(Context.ConnectionId);
        return base.OnDisconnectedAsync(exception);
    }
}
