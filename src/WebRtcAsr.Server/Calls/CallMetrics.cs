using WebRtcAsr.Server.Metrics;
using WebRtcAsr.Sip;

namespace WebRtcAsr.Server.Calls;

/// <summary>The SIP call metrics on /metrics: calls up now, calls taken, calls refused by reason.</summary>
public sealed class CallMetrics
{
    public CallMetrics(ServerMetrics metrics, CallDirectory directory)
    {
        ArgumentNullException.ThrowIfNull(metrics);
        ArgumentNullException.ThrowIfNull(directory);
        var registry = metrics.Registry;
        registry.Gauge("webrtcasr_calls_active", "SIP calls bound to a caption session now.", () => directory.Count);
        Total = registry.Counter("webrtcasr_calls_total", "SIP calls taken (each became a caption session).");
        Refused = registry.Counter("webrtcasr_calls_refused_total", "SIP calls refused by the server, by reason.", "reason");
        Ended = registry.Counter("webrtcasr_calls_ended_total", "SIP calls ended, by reason.", "reason");
        registry.Gauge("webrtcasr_sip_messages_received", "SIP messages received since start.", () => sip?.MessagesReceived ?? 0);
        registry.Gauge("webrtcasr_sip_parse_errors", "SIP messages that did not parse (answered 400 or dropped).", () => sip?.ParseErrors ?? 0);
        registry.Gauge("webrtcasr_sip_rate_limited", "SIP requests dropped by the per-source rate limit.", () => sip?.RateLimited ?? 0);
        registry.Gauge("webrtcasr_sip_forbidden", "SIP requests answered 403 (allowlist or digest).", () => sip?.Forbidden ?? 0);
        registry.Gauge("webrtcasr_sip_auth_challenges", "SIP requests answered 401 (digest challenge).", () => sip?.AuthChallenges ?? 0);
        registry.Gauge("webrtcasr_sip_busy", "INVITEs answered 486 at the SIP call limit.", () => sip?.Busy ?? 0);
        registry.Gauge("webrtcasr_sip_overloaded", "SIP requests answered 503 because a table, queue or the media ports were full.", () => sip?.Overloaded ?? 0);
    }

    private SipServerCounters? sip;

    public Counter Total { get; }

    public Counter Refused { get; }

    public Counter Ended { get; }

    /// <summary>Reads the SIP core's counters at scrape time (plain 64-bit reads of counters its one loop writes).</summary>
    public void Observe(SipServerCounters counters) => sip = counters;
}
