using WebRtcAsr.Server.Metrics;

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
    }

    public Counter Total { get; }

    public Counter Refused { get; }

    public Counter Ended { get; }
}
