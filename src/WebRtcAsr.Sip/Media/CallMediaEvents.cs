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

/// <summary>A call's RTP/RTCP ports are bound (the SIP core was told, so its 200 OK may go out).</summary>
public sealed record CallMediaOpened(string CallId, System.Net.IPEndPoint LocalRtp) : SipCallEvent(CallId);

/// <summary>Why the application refuses an offered call: the SIP status (486, 503, …) and a reason for the Warning header.</summary>
public sealed record CallRefusal(int Status, string Reason);
