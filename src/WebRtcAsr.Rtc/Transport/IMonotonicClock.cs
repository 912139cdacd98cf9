using System.Diagnostics;

namespace WebRtcAsr.Rtc.Transport;

/// <summary>The time the transport drivers pass into the sans-IO peers, in microseconds; monotonic, never wall time.</summary>
public interface IMonotonicClock
{
    long NowMicros { get; }
}

/// <summary>The default clock: <see cref="Stopwatch"/> ticks as microseconds since an arbitrary start.</summary>
public sealed class StopwatchClock : IMonotonicClock
{
    public static StopwatchClock Instance { get; } = new();

    public long NowMicros => (long)(Stopwatch.GetTimestamp() * (1_000_000.0 / Stopwatch.Frequency));
}
