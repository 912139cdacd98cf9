using WebRtcAsr.Server.Sessions;
using WebRtcAsr.Server.Tests.Support;
using WebRtcAsr.Speech.Captions;

namespace WebRtcAsr.Server.Tests.Sessions;

[Collection(SpeechCollection.Name)]
public sealed class SessionOverloadTests(SpeechFixture speech)
{
    [Fact]
    public async Task A_full_queue_drops_audio_counts_it_and_warns_the_client_once_it_catches_up()
    {
        var metrics = new WebRtcAsr.Server.Metrics.ServerMetrics();
        var session = new CaptionSession("s", "k", speech.Services(vad: false, metrics: metrics), new SessionLimits { InputQueue = 8 }, new SessionSettings());
        using var release = new ManualResetEventSlim();
        var sink = new StallingSink(release);
        await session.AttachAsync(sink);

        // A bad message makes the worker send an Error, and the sink holds the worker inside that send.
        Assert.True(session.TryWriteControl("{}"u8));
        sink.Entered.Wait(TimeSpan.FromSeconds(30));
        var block = new float[320];
        var accepted = 0;
        for (var i = 0; i < 20; i++)
        {
            accepted += session.TryWriteAudio(block, i * 320L) ? 1 : 0;
        }

        Assert.Equal(8, accepted);
        Assert.Equal(12, metrics.SessionInputQueueFull.Value);
        release.Set();
        await session.CloseAsync(SessionEndReason.ClientClosed);

        var warning = Assert.Single(sink.Messages.OfType<WarningMessage>());
        Assert.Equal("overload", warning.Code);
        Assert.Contains("12", warning.Description, StringComparison.Ordinal);
        Captions.AssertCompleteSequence(sink.Messages, "s");
    }

    [Fact]
    public async Task Transport_events_such_as_DTMF_are_sent_in_order_with_the_captions()
    {
        var session = new CaptionSession("s", "k", speech.Services(vad: false), new SessionLimits(), new SessionSettings());
        var sink = new RecordingSink();
        await session.AttachAsync(sink);
        Assert.True(session.TryWriteEvent(new DtmfMessage { Digit = "5", Start = 1.2, Duration = 0.1 }));
        await session.CloseAsync(SessionEndReason.TransportClosed);
        var dtmf = Assert.IsType<DtmfMessage>(sink.Messages[0]);
        Assert.Equal("5", dtmf.Digit);
        Assert.Equal(1, dtmf.Seq);
        Assert.False(session.TryWriteEvent(new DtmfMessage { Digit = "6" }));
    }

    /// <summary>A sink whose first send blocks until released (a data channel that stalls).</summary>
    private sealed class StallingSink(ManualResetEventSlim release) : ICaptionSink
    {
        private readonly RecordingSink inner = new();

        public ManualResetEventSlim Entered { get; } = new();

        public IReadOnlyList<CaptionMessage> Messages => inner.Messages;

        public bool TrySend(CaptionMessage message, string json)
        {
            Entered.Set();
            release.Wait(TimeSpan.FromSeconds(30));
            return inner.TrySend(message, json);
        }
    }
}
