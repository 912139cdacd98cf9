using WebRtcAsr.Media.Jitter;

namespace WebRtcAsr.Server.Metrics;

/// <summary>
/// Reports one media stream's jitter-buffer counters to <see cref="ServerMetrics"/> as deltas since the last report.
/// The transport makes one per stream and calls <see cref="Report"/> on the stream's worker now and then (every
/// second, or with each RTCP receiver report) and once when the stream ends. Counters that went backwards (a new
/// jitter buffer after a codec switch) start a new baseline.
/// </summary>
public sealed class MediaStatisticsReporter(ServerMetrics metrics)
{
    private long received;
    private long lost;
    private long concealed;

    public void Report(JitterBufferStatistics statistics)
    {
        ArgumentNullException.ThrowIfNull(statistics);
        var concealedNow = statistics.ConcealedByFec + statistics.ConcealedByPlc;
        metrics.ReportMedia(
            Delta(statistics.Received, ref received),
            Delta(statistics.Lost, ref lost),
            Delta(concealedNow, ref concealed),
            statistics.JitterMicros / 1e6);
    }

    private static long Delta(long now, ref long last)
    {
        var delta = now >= last ? now - last : now;
        last = now;
        return delta;
    }
}
