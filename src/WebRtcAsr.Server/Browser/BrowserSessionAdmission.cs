using System.Net;
using Microsoft.AspNetCore.SignalR;
using WebRtcAsr.Rtc.Transport;
using WebRtcAsr.Server.Auth;
using WebRtcAsr.Server.Sessions;
using WebRtcAsr.Server.Signaling;

namespace WebRtcAsr.Server.Browser;

/// <summary>
/// Turns a browser's offer into a caption session: authenticates the client, opens a session (or finds the one it
/// resumes), and accepts the peer bound to it. Refusals are <see cref="HubException"/>s whose text starts with a code
/// the page maps to plain words ("unauthorized: …", "session_limit: …", "overloaded: …", "bad_offer: …").
/// </summary>
public sealed class BrowserSessionAdmission(ClientAuthenticator authenticator, SessionRegistry registry, BrowserCallBinder binder, WebRtcPeerHost host,
    ILogger<BrowserSessionAdmission> logger)
{
    /// <summary>Accepts an offer for signaling connection <paramref name="owner"/>; with <paramref name="sessionId"/> it resumes that session.</summary>
    public OfferAnswer Offer(string sdp, string? sessionId, long? lastSeq, string owner, string? credentials, IPAddress? remote)
    {
        var access = authenticator.Authenticate(credentials, remote);
        if (!access.Allowed)
        {
            throw new HubException("unauthorized: " + access.Reason);
        }

        // A session that cannot be resumed (ended, unknown, another key's) is replaced by a new one: the client sees
        // the new session id (on the answer and on every message) and knows it restarted.
        var session = string.IsNullOrEmpty(sessionId) ? null : registry.FindForKey(sessionId, access.KeyId);
        var resumed = session is not null;
        if (session is null)
        {
            session = registry.TryCreate(access.KeyId, access.KeyMaxSessions, out var refusal);
            if (session is null)
            {
                throw new HubException(Explain(refusal));
            }
        }

        BrowserCall? call = null;
        var clock = host.Transport?.Clock ?? StopwatchClock.Instance;
        if (!host.TryAccept(sdp, owner, pc => Prepare(pc), out var answer, out var served, out var error))
        {
            if (call is not null)
            {
                binder.Unbind(call);
            }

            if (!resumed)
            {
                _ = session.CloseAsync(SessionEndReason.TransportClosed);
            }

            throw new HubException("bad_offer: " + error);
        }

        BrowserCallBinder.Served(call!, served!);
#pragma warning disable CA1848 // once per offer
        logger.LogInformation("Browser peer {PeerId} carries session {SessionId} ({How})", call!.PeerId, session.Id,
            resumed ? $"resumed after seq {lastSeq?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "-"}" : sessionId is null ? "new" : "new: the session to resume is gone");
#pragma warning restore CA1848
        return answer! with { SessionId = session.Id };

        string? Prepare(Rtc.PeerConnection.PeerConnection pc)
        {
            call = binder.Bind(pc, session, resumed ? lastSeq : null, clock);
            return null;
        }
    }

    private static string Explain(SessionRefusal refusal) => refusal switch
    {
        SessionRefusal.ServerFull => "session_limit: the server holds its maximum of live sessions",
        SessionRefusal.KeyLimit => "session_limit: this API key holds its maximum of live sessions",
        SessionRefusal.RateLimited => "overloaded: new sessions are arriving faster than the server admits them; try again shortly",
        SessionRefusal.ShuttingDown => "overloaded: the server is shutting down",
        _ => "overloaded: the session could not be opened",
    };
}
