using System.Net;
using WebRtcAsr.Sip.Sdp;

namespace WebRtcAsr.Sip.Calls;

/// <summary>Why a call ended.</summary>
public enum CallEndReason
{
    /// <summary>The caller sent BYE.</summary>
    RemoteHangup,

    /// <summary>The caller cancelled before we answered.</summary>
    Cancelled,

    /// <summary>The host ended the call (we sent BYE).</summary>
    LocalHangup,

    /// <summary>The host reported no RTP for too long (we sent BYE).</summary>
    MediaTimeout,

    /// <summary>Our 2xx was never acknowledged within 64·T1 (we sent BYE, RFC 3261 §13.3.1.4).</summary>
    AckTimeout,

    /// <summary>The caller's answer to our offer (in ACK) was unusable (we sent BYE).</summary>
    MediaNegotiationFailed,

    /// <summary>The host refused the call before it was answered (a final non-2xx, e.g. 486 or 503 at a limit).</summary>
    Refused,
}

/// <summary>Something the host should know about a call; drained with <see cref="SipServer.TryPollEvent"/>.</summary>
public abstract record SipCallEvent(string CallId);

/// <summary>An INVITE was accepted for processing; media is already reserved on <paramref name="LocalRtpPort"/>.</summary>
public sealed record CallOffered(string CallId, string From, string To, IPEndPoint Source, int LocalRtpPort) : SipCallEvent(CallId);

/// <summary>The caller acknowledged our answer: RTP is expected from <see cref="SipMediaSession.RemoteRtp"/>.</summary>
public sealed record CallStarted(string CallId, string From, string To, SipMediaSession Media) : SipCallEvent(CallId);

/// <summary>A re-INVITE changed the media (hold, unhold, codec, address).</summary>
public sealed record CallUpdated(string CallId, SipMediaSession Media) : SipCallEvent(CallId);

/// <summary>The call is over and its media port is released.</summary>
public sealed record CallEnded(string CallId, CallEndReason Reason) : SipCallEvent(CallId);
