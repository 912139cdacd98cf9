using WebRtcAsr.Media.Rtp;
using WebRtcAsr.Sip.Calls;

namespace WebRtcAsr.Sip.Media;

/// <summary>
/// A key press received on a call as RFC 4733 telephone-event. <paramref name="StreamTime"/> is when the tone began
/// on the call's audio timeline (the same clock as <c>AudioFrame.StreamTime</c>: zero at the first audio packet).
/// </summary>
public sealed record CallDtmf(string CallId, char Key, TimeSpan StreamTime, TimeSpan Duration, TelephoneEventKeyPress Press) : SipCallEvent(CallId);

/// <summary>No RTP arrived for <paramref name="Silence"/> while the call was not on hold; the host sends BYE.</summary>
public sealed record CallMediaStopped(string CallId, TimeSpan Silence) : SipCallEvent(CallId);

/// <summary>A call's media was closed (socket released); its final counters.</summary>
public sealed record CallMediaClosed(string CallId, CallMediaStatistics Statistics) : SipCallEvent(CallId);
