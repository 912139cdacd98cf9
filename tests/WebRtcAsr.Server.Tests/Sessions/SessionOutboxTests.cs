using WebRtcAsr.Server.Sessions;
using WebRtcAsr.Server.Tests.Support;
using WebRtcAsr.Speech.Captions;

namespace WebRtcAsr.Server.Tests.Sessions;

public sealed class SessionOutboxTests
{
    private readonly CaptionStamper stamper = new("s1");

    [Fact]
    public void Keeps_messages_until_a_sink_attaches_then_delivers_them_in_order()
    {
        var outbox = new SessionOutbox(pendingCapacity: 8, replayCapacity: 8);
        Add(outbox, 3);
        Assert.Equal(3, outbox.PendingCount);
        var sink = new RecordingSink();
        Assert.True(outbox.Attach(sink, null));
        Add(outbox, 2);
        Assert.Equal([1L, 2, 3, 4, 5], sink.Messages.Select(m => m.Seq));
        Assert.Equal(0, outbox.PendingCount);
    }

    [Fact]
    public void A_full_pending_queue_drops_the_oldest_and_counts_it()
    {
        var outbox = new SessionOutbox(pendingCapacity: 4, replayCapacity: 8);
        Add(outbox, 6);
        Assert.Equal(2, outbox.Dropped);
        var sink = new RecordingSink();
        outbox.Attach(sink, null);
        Assert.Equal([3L, 4, 5, 6], sink.Messages.Select(m => m.Seq));
    }

    [Fact]
    public void A_reconnect_gets_exactly_the_messages_after_its_last_seq()
    {
        var outbox = new SessionOutbox(pendingCapacity: 8, replayCapacity: 8);
        var first = new RecordingSink(acceptAtMost: 4);
        outbox.Attach(first, null);
        Add(outbox, 6); // 1-4 delivered, 5 and 6 wait (the sink broke at 5)
        Assert.False(outbox.IsAttached);
        var second = new RecordingSink();
        Assert.True(outbox.Attach(second, lastSeqReceived: 2)); // the client saw only 1 and 2
        Assert.Equal([3L, 4, 5, 6], second.Messages.Select(m => m.Seq));
    }

    [Fact]
    public void A_reconnect_older_than_the_replay_ring_reports_a_gap()
    {
        var outbox = new SessionOutbox(pendingCapacity: 8, replayCapacity: 3);
        outbox.Attach(new RecordingSink(), null);
        Add(outbox, 6);
        outbox.Detach();
        var sink = new RecordingSink();
        Assert.False(outbox.Attach(sink, lastSeqReceived: 1));
        Assert.Equal([4L, 5, 6], sink.Messages.Select(m => m.Seq));
        var exact = new RecordingSink();
        Assert.True(outbox.Attach(exact, lastSeqReceived: 3));
        Assert.Equal([4L, 5, 6], exact.Messages.Select(m => m.Seq));
    }

    private void Add(SessionOutbox outbox, int count)
    {
        for (var i = 0; i < count; i++)
        {
            var m = stamper.Stamp<CaptionMessage>(new WarningMessage { Code = "c", Description = "d" });
            outbox.Add(m, CaptionJson.Serialize(m));
        }
    }
}
