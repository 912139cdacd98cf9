using Microsoft.Extensions.Logging;

namespace WebRtcAsr.Rtc.Transport;

/// <summary>
/// Logs bad input at most a burst of lines per reason and interval, so a flood of garbage cannot
/// flood the log; lines not written are counted and reported with the next one written.
/// </summary>
internal sealed class RateLimitedLog(ILogger logger, IMonotonicClock clock, int burst, TimeSpan interval)
{
    private readonly long _intervalMicros = interval.Ticks / TimeSpan.TicksPerMicrosecond;
    private readonly long[] _windowStart = new long[Enum.GetValues<TransportDropReason>().Length];
    private readonly int[] _written = new int[Enum.GetValues<TransportDropReason>().Length];
    private readonly long[] _suppressed = new long[Enum.GetValues<TransportDropReason>().Length];

    public void Drop(TransportDropReason reason, string detail)
    {
        if (!logger.IsEnabled(LogLevel.Debug))
        {
            return;
        }

        int i = (int)reason;
        long now = clock.NowMicros;
        long start = Interlocked.Read(ref _windowStart[i]);
        if (now - start >= _intervalMicros && Interlocked.CompareExchange(ref _windowStart[i], now, start) == start)
        {
            Interlocked.Exchange(ref _written[i], 0);
        }

        if (Interlocked.Increment(ref _written[i]) > burst)
        {
            Interlocked.Increment(ref _suppressed[i]);
            return;
        }

        long suppressed = Interlocked.Exchange(ref _suppressed[i], 0);
#pragma warning disable CA1848, CA2254 // rare by construction (rate-limited), the text varies per reason
        logger.LogDebug("Dropped datagram ({Reason}): {Detail}{Suppressed}", reason, detail,
            suppressed > 0 ? $" (+{suppressed} similar not logged)" : "");
#pragma warning restore CA1848, CA2254
    }
}
