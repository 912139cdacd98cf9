using System.Net;
using WebRtcAsr.Sip.Transactions;

namespace WebRtcAsr.Sip.Tests.Transactions;

/// <summary>RFC 3261 §17 transaction timers, driven on an injected clock.</summary>
public class TransactionTimerTests
{
    private static readonly SipFlow Udp = new(SipTransportKind.Udp, new IPEndPoint(IPAddress.Loopback, 5070));
    private static readonly SipFlow Tcp = new(SipTransportKind.Tcp, new IPEndPoint(IPAddress.Loopback, 5070), 7);
    private static readonly SipTransactionKey Key = new("z9hG4bK1", "h", "INVITE");
    private static readonly byte[] Final486 = [4, 8, 6];

    /// <summary>Runs the transaction's timers up to <paramref name="until"/>, recording when it sent something.</summary>
    private static List<TimeSpan> RunTimers(SipTransaction transaction, SipOutbox outbox, TimeSpan until)
    {
        var sent = new List<TimeSpan>();
        while (transaction.NextDue is { } due && due <= until)
        {
            transaction.OnTimer(due, outbox);
            while (outbox.TryDequeue(out _))
            {
                sent.Add(due);
            }
        }

        return sent;
    }

    private static TimeSpan Ms(double ms) => TimeSpan.FromMilliseconds(ms);

    [Fact]
    public void Invite_server_retransmits_a_final_response_at_500ms_1s_2s_4s_4s_until_timer_h()
    {
        var outbox = new SipOutbox(100);
        var tx = new InviteServerTransaction(Key, Udp, SipTimerSettings.Default);
        Assert.True(tx.Respond(486, Final486, TimeSpan.Zero, outbox));
        Assert.True(outbox.TryDequeue(out var first));
        Assert.Equal(Final486, first.Data);

        var sent = RunTimers(tx, outbox, TimeSpan.FromSeconds(40));

        // Intervals 0.5, 1, 2, 4, 4, ... s: sends at 0.5, 1.5, 3.5, 7.5, 11.5, ... until Timer H at 32 s.
        TimeSpan[] expected = [Ms(500), Ms(1500), Ms(3500), Ms(7500), Ms(11500), Ms(15500), Ms(19500), Ms(23500), Ms(27500), Ms(31500)];
        Assert.Equal(expected, sent);
        Assert.Equal(InviteServerState.Terminated, tx.State);
        Assert.True(tx.AckTimedOut);
    }

    [Fact]
    public void Invite_server_stops_on_ack_and_absorbs_acks_for_timer_i()
    {
        var outbox = new SipOutbox(100);
        var tx = new InviteServerTransaction(Key, Udp, SipTimerSettings.Default);
        tx.Respond(486, Final486, TimeSpan.Zero, outbox);
        RunTimers(tx, outbox, Ms(600));
        Assert.True(tx.OnAck(Ms(700)));
        Assert.Equal(InviteServerState.Confirmed, tx.State);
        Assert.True(tx.OnAck(Ms(800)));
        Assert.Equal(Ms(700) + TimeSpan.FromSeconds(5), tx.NextDue);
        Assert.Empty(RunTimers(tx, outbox, TimeSpan.FromSeconds(10)));
        Assert.Equal(InviteServerState.Terminated, tx.State);
        Assert.False(tx.AckTimedOut);
    }

    [Fact]
    public void Invite_server_on_tcp_never_retransmits_and_ends_on_ack_at_once()
    {
        var outbox = new SipOutbox(100);
        var tx = new InviteServerTransaction(Key, Tcp, SipTimerSettings.Default);
        tx.Respond(486, Final486, TimeSpan.Zero, outbox);
        outbox.TryDequeue(out _);
        Assert.Equal(TimeSpan.FromSeconds(32), tx.NextDue);
        tx.OnAck(Ms(10));
        Assert.Empty(RunTimers(tx, outbox, Ms(10)));
        Assert.Equal(InviteServerState.Terminated, tx.State);
    }

    [Fact]
    public void Invite_retransmissions_get_the_last_provisional_then_the_final_and_are_absorbed_after_2xx()
    {
        var outbox = new SipOutbox(100);
        var tx = new InviteServerTransaction(Key, Udp, SipTimerSettings.Default);
        tx.Respond(100, [1], TimeSpan.Zero, outbox);
        tx.Respond(180, [2], TimeSpan.Zero, outbox);
        outbox.TryDequeue(out _);
        outbox.TryDequeue(out _);
        tx.OnRetransmission(outbox);
        Assert.True(outbox.TryDequeue(out var resent));
        Assert.Equal([2], resent.Data);

        tx.Respond(200, [3], Ms(100), outbox);
        outbox.TryDequeue(out _);
        Assert.Equal(InviteServerState.Accepted, tx.State);
        tx.OnRetransmission(outbox);
        Assert.Equal(0, outbox.Count);
        Assert.False(tx.OnAck(Ms(200)));
        Assert.False(tx.Respond(486, [4], Ms(200), outbox));
        Assert.Empty(RunTimers(tx, outbox, TimeSpan.FromSeconds(33)));
        Assert.Equal(InviteServerState.Terminated, tx.State);
    }

    [Fact]
    public void Non_invite_server_answers_retransmissions_with_the_final_response_until_timer_j()
    {
        var outbox = new SipOutbox(100);
        var tx = new NonInviteServerTransaction(Key with { Method = "BYE" }, Udp, SipTimerSettings.Default);
        tx.OnRetransmission(outbox);
        Assert.Equal(0, outbox.Count);
        tx.Respond(200, [9], Ms(5), outbox);
        outbox.TryDequeue(out _);
        tx.OnRetransmission(outbox);
        Assert.True(outbox.TryDequeue(out var resent));
        Assert.Equal([9], resent.Data);
        Assert.Equal(Ms(5) + TimeSpan.FromSeconds(32), tx.NextDue);
        RunTimers(tx, outbox, TimeSpan.FromSeconds(40));
        Assert.Equal(NonInviteServerState.Terminated, tx.State);
    }

    [Fact]
    public void Non_invite_client_retransmits_at_500ms_1s_2s_4s_4s_and_times_out_with_timer_f()
    {
        var outbox = new SipOutbox(100);
        var tx = new NonInviteClientTransaction(Key with { Method = "BYE" }, Udp, SipTimerSettings.Default, [7], TimeSpan.Zero, outbox);
        Assert.True(outbox.TryDequeue(out _));
        var sent = RunTimers(tx, outbox, TimeSpan.FromSeconds(40));
        Assert.Equal([Ms(500), Ms(1500), Ms(3500), Ms(7500), Ms(11500)], sent.Take(5));
        Assert.True(sent[^1] < TimeSpan.FromSeconds(32));
        Assert.Equal(NonInviteClientState.Terminated, tx.State);
        Assert.Equal(408, tx.FinalStatus);
    }

    [Fact]
    public void Non_invite_client_uses_t2_once_proceeding_and_completes_on_a_final_response()
    {
        var outbox = new SipOutbox(100);
        var tx = new NonInviteClientTransaction(Key with { Method = "BYE" }, Udp, SipTimerSettings.Default, [7], TimeSpan.Zero, outbox);
        outbox.TryDequeue(out _);
        RunTimers(tx, outbox, Ms(500));
        tx.OnResponse(100, Ms(600));
        Assert.Equal([Ms(1500), Ms(5500)], RunTimers(tx, outbox, Ms(6000)));
        tx.OnResponse(200, Ms(6000));
        Assert.Equal(NonInviteClientState.Completed, tx.State);
        Assert.Equal(200, tx.FinalStatus);
        Assert.Empty(RunTimers(tx, outbox, TimeSpan.FromSeconds(20)));
        Assert.Equal(NonInviteClientState.Terminated, tx.State);
    }

    [Fact]
    public void Timer_queue_returns_owners_in_due_order_and_skips_stale_entries()
    {
        var outbox = new SipOutbox(100);
        var queue = new SipTimerQueue(100);
        var early = new NonInviteServerTransaction(Key, Udp, SipTimerSettings.Default);
        var late = new NonInviteServerTransaction(Key, Udp, SipTimerSettings.Default);
        late.Respond(200, [1], Ms(100), outbox);
        early.Respond(200, [1], Ms(0), outbox);
        queue.Schedule(late);
        queue.Schedule(early);
        Assert.Equal(TimeSpan.FromSeconds(32), queue.Next);
        Assert.True(queue.TryTakeDue(TimeSpan.FromSeconds(33), out var first));
        Assert.Same(early, first);
        early.OnTimer(TimeSpan.FromSeconds(33), outbox);
        Assert.True(queue.TryTakeDue(TimeSpan.FromSeconds(33), out var second));
        Assert.Same(late, second);
        Assert.False(queue.TryTakeDue(TimeSpan.FromSeconds(99), out _));
        Assert.False(new SipTimerQueue(0).Schedule(late));
    }

    [Fact]
    public void Full_timer_queue_compacts_to_live_entries_instead_of_refusing()
    {
        var outbox = new SipOutbox(100);
        var queue = new SipTimerQueue(4);
        var tx = new NonInviteClientTransaction(Key with { Method = "BYE" }, Udp, SipTimerSettings.Default, [1], TimeSpan.Zero, outbox);
        for (var i = 0; i < 4; i++)
        {
            Assert.True(queue.Schedule(tx)); // the same live entry four times
        }

        tx.OnResponse(100, Ms(1)); // no change of due time yet
        tx.OnTimer(Ms(500), outbox); // E fires: the due time moves, the four entries are stale
        Assert.True(queue.Schedule(tx));
        Assert.Equal(1, queue.Count);
        Assert.Equal(tx.NextDue, queue.Next);
    }
}
