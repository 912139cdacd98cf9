using Microsoft.Extensions.Logging;
using WebRtcAsr.Rtc.Transport;

namespace WebRtcAsr.Rtc.Tests.PeerConnection;

/// <summary>A flood of bad datagrams writes a bounded number of log lines, and says how many it left out.</summary>
public sealed class RateLimitedLogTests
{
    [Fact]
    public void At_most_a_burst_per_interval_is_written_and_the_rest_is_counted()
    {
        var clock = new ManualClock();
        var logger = new ListLogger();
        var log = new RateLimitedLog(logger, clock, burst: 3, TimeSpan.FromSeconds(10));
        for (int i = 0; i < 100; i++)
        {
            log.Drop(TransportDropReason.UnknownSource, $"datagram {i}");
        }

        log.Drop(TransportDropReason.TooLarge, "another reason has its own budget");
        Assert.Equal(4, logger.Lines.Count);

        clock.NowMicros += 10_000_000;
        log.Drop(TransportDropReason.UnknownSource, "after the interval");
        Assert.Equal(5, logger.Lines.Count);
        Assert.Contains("after the interval (+97 similar not logged)", logger.Lines[^1], StringComparison.Ordinal);
    }

    private sealed class ManualClock : IMonotonicClock
    {
        public long NowMicros { get; set; } = 1;
    }

    private sealed class ListLogger : ILogger
    {
        public List<string> Lines { get; } = [];

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            Lines.Add(formatter(state, exception));
    }
}
