using Serilog;
using Serilog.Core;
using Serilog.Events;
using Serilog.Extensions.Logging;
using WebRtcAsr.Server.Sessions;
using WebRtcAsr.Server.Tests.Support;

namespace WebRtcAsr.Server.Tests.Sessions;

[Collection(SpeechCollection.Name)]
public sealed class SessionLoggingTests(SpeechFixture speech)
{
    [Fact]
    public async Task Every_line_a_session_logs_carries_its_session_id()
    {
        var events = new EventList();
        using var serilog = new LoggerConfiguration().MinimumLevel.Verbose().Enrich.FromLogContext().WriteTo.Sink(events).CreateLogger();
        using var loggers = new SerilogLoggerFactory(serilog);
        var services = speech.Services(vad: false) with { LoggerFactory = loggers };
        var session = new CaptionSession("3f2a-session", "k", services, new SessionLimits { InputQueue = 8 }, new SessionSettings());
        await session.AttachAsync(new RecordingSink());
        await session.DetachAsync();
        Assert.True(session.TryWriteControl("{\"type\":\"CloseStream\"}"u8));
        await session.Completion;

        var lines = events.Snapshot().Where(e => e.Properties.TryGetValue("SourceContext", out var c) && c.ToString().Contains("CaptionSession", StringComparison.Ordinal)).ToList();
        Assert.True(lines.Count >= 4); // started, attached, detached, ended
        Assert.All(lines, e => Assert.Equal("\"3f2a-session\"", e.Properties["SessionId"].ToString()));
    }

    private sealed class EventList : ILogEventSink
    {
        private readonly List<LogEvent> events = [];

        public void Emit(LogEvent logEvent)
        {
            lock (events)
            {
                events.Add(logEvent);
            }
        }

        public List<LogEvent> Snapshot()
        {
            lock (events)
            {
                return [.. events];
            }
        }
    }
}
