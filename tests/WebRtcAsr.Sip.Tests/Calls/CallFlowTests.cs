using System.Net;
using System.Text;
using WebRtcAsr.Sip.Calls;
using WebRtcAsr.Sip.Messages;
using WebRtcAsr.Sip.Sdp;

namespace WebRtcAsr.Sip.Tests.Calls;

/// <summary>UAS dialog flows through the sans-IO core: answer, ACK, BYE both ways, CANCEL, re-INVITE, retransmissions.</summary>
public class CallFlowTests
{
    private static TimeSpan Ms(double ms) => TimeSpan.FromMilliseconds(ms);

    private static int[] Statuses(IEnumerable<(SipMessage Message, WebRtcAsr.Sip.Transactions.SipTransmit Raw)> sent) =>
        [.. sent.Select(s => ((SipResponse)s.Message).StatusCode)];

    private static (ServerHarness Harness, TrunkCall Call, SipResponse Ok) Answered(SipServerOptions? options = null)
    {
        var harness = new ServerHarness(options);
        var call = new TrunkCall("call-1");
        var sent = harness.Send(call.Invite());
        Assert.Equal([100, 200], Statuses(sent));
        call.ToTag = sent[1].Message.To!.Tag;
        return (harness, call, (SipResponse)sent[1].Message);
    }

    private static (ServerHarness Harness, TrunkCall Call) Confirmed(SipServerOptions? options = null)
    {
        var (harness, call, _) = Answered(options);
        Assert.Empty(harness.Send(call.Ack()));
        Assert.IsType<CallStarted>(harness.Events[^1]);
        return (harness, call);
    }

    [Fact]
    public void Invite_is_answered_with_100_then_200_with_sdp_and_ack_starts_the_call()
    {
        var (harness, call, ok) = Answered();
        var offered = Assert.IsType<CallOffered>(Assert.Single(harness.Events));
        Assert.Equal("call-1", offered.CallId);
        Assert.Equal(40000, offered.LocalRtpPort);
        Assert.Contains("Caller", offered.From, StringComparison.Ordinal);

        Assert.NotNull(ok.To!.Tag);
        Assert.Equal("trunk-call-1", ok.From!.Tag);
        Assert.Equal("application/sdp", ok.ContentType);
        Assert.Equal("<sip:192.0.2.1:5060>", ok.Headers.Get("Contact"));
        Assert.Contains("BYE", ok.Headers.Get("Allow"), StringComparison.Ordinal);
        Assert.Equal("5060", ok.TopVia!.Parameters.Get("rport"));
        var answer = Encoding.UTF8.GetString(ok.Body.Span);
        Assert.Contains("m=audio 40000 RTP/AVP 8 0 101\r\n", answer, StringComparison.Ordinal);
        Assert.Contains("c=IN IP4 192.0.2.1\r\n", answer, StringComparison.Ordinal);

        Assert.Empty(harness.Send(call.Ack()));
        var started = Assert.IsType<CallStarted>(harness.Events[^1]);
        Assert.Equal("<sip:100@192.0.2.1>", started.To);
        Assert.Equal("PCMA", started.Media.Primary.Encoding);
        Assert.Equal(101, started.Media.TelephoneEvent!.PayloadType);
        Assert.Equal(new IPEndPoint(IPAddress.Parse("198.51.100.7"), 30000), started.Media.RemoteRtp);
        Assert.Equal(1, harness.Server.ActiveCalls);

        // No more 2xx retransmissions once acknowledged.
        Assert.DoesNotContain(harness.Advance(TimeSpan.FromSeconds(40)), s => s.Message is SipResponse);
    }

    [Fact]
    public void Bye_from_the_caller_gets_200_and_ends_the_call_releasing_its_port()
    {
        var (harness, call) = Confirmed();
        ServerHarness.Single(harness.Send(call.Bye()), 200);
        Assert.Equal(new CallEnded("call-1", CallEndReason.RemoteHangup), harness.Events[^1]);
        Assert.Equal(0, harness.Server.ActiveCalls);

        // A retransmitted BYE is answered by its transaction; a new one is 481.
        harness.Send(call.Request("BYE", "z9hG4bK-bye-2call-1", 2, string.Empty, string.Empty)).ForEach(s => Assert.Equal(200, ((SipResponse)s.Message).StatusCode));
        ServerHarness.Single(harness.Send(call.Bye()), 481);

        // The next call gets the next port (round robin), the old one is free again.
        var next = new TrunkCall("call-2");
        harness.Send(next.Invite());
        Assert.Equal(40002, Assert.IsType<CallOffered>(harness.Events[^1]).LocalRtpPort);
    }

    [Fact]
    public void Unacknowledged_200_is_retransmitted_at_500ms_1s_2s_4s_4s_then_bye_after_64_t1()
    {
        var (harness, _, _) = Answered();
        var sent = harness.Advance(TimeSpan.FromSeconds(40));
        var start = TimeSpan.FromSeconds(1000);
        var retransmits = sent.Where(s => s.Message is SipResponse { StatusCode: 200 }).Select(s => s.At - start).ToList();
        Assert.Equal([Ms(500), Ms(1500), Ms(3500), Ms(7500), Ms(11500), Ms(15500), Ms(19500), Ms(23500), Ms(27500), Ms(31500)], retransmits);
        var bye = Assert.IsType<SipRequest>(sent.First(s => s.Message is SipRequest).Message);
        Assert.Equal("BYE", bye.Method);
        Assert.Equal(TimeSpan.FromSeconds(32), sent.First(s => s.Message is SipRequest).At - start);
        Assert.Equal(new CallEnded("call-1", CallEndReason.AckTimeout), harness.Events[^1]);
    }

    [Fact]
    public void Retransmitted_invite_gets_the_last_provisional_and_is_absorbed_after_the_200()
    {
        var options = ServerHarness.Options() with { RingingDuration = TimeSpan.FromSeconds(2) };
        var harness = new ServerHarness(options);
        var call = new TrunkCall("call-r");
        Assert.Equal([100, 180], Statuses(harness.Send(call.Invite())));
        var again = harness.Send(call.Invite());
        Assert.Equal([180], Statuses(again));
        Assert.Equal(1, harness.Server.Counters.RequestRetransmissions);

        var answered = harness.Advance(TimeSpan.FromSeconds(2));
        Assert.Equal(200, ((SipResponse)Assert.Single(answered).Message).StatusCode);
        Assert.Empty(harness.Send(call.Invite()));
        Assert.Equal(1, harness.Server.ActiveCalls);
        Assert.Single(harness.Events.OfType<CallOffered>());
    }

    [Fact]
    public void Cancel_before_answer_gets_200_and_the_invite_487_and_the_ack_stops_retransmissions()
    {
        var harness = new ServerHarness(ServerHarness.Options() with { RingingDuration = TimeSpan.FromSeconds(5) });
        var call = new TrunkCall("call-c");
        var ringing = harness.Send(call.Invite());
        var toTag = ringing[1].Message.To!.Tag;
        var sent = harness.Send(call.Cancel());
        Assert.Equal([200, 487], Statuses(sent));
        Assert.Equal("CANCEL", sent[0].Message.CSeq.Method);
        Assert.Equal("INVITE", sent[1].Message.CSeq.Method);
        Assert.Equal(toTag, sent[1].Message.To!.Tag);
        Assert.Equal(new CallEnded("call-c", CallEndReason.Cancelled), harness.Events[^1]);
        Assert.Equal(0, harness.Server.ActiveCalls);

        // 487 is retransmitted (Timer G) until the ACK, which the transaction absorbs.
        Assert.Equal(487, ((SipResponse)Assert.Single(harness.Advance(Ms(600))).Message).StatusCode);
        call.ToTag = toTag;
        Assert.Empty(harness.Send(call.AckNon2xx()));
        Assert.Empty(harness.Advance(TimeSpan.FromSeconds(40)));
        Assert.Equal(0, harness.Server.Counters.StrayAcks);
        Assert.Equal(0, harness.Server.ActiveTransactions);
    }

    [Fact]
    public void Cancel_racing_the_200_gets_200_and_changes_nothing()
    {
        var (harness, call, _) = Answered();
        ServerHarness.Single(harness.Send(call.Cancel()), 200);
        Assert.Empty(harness.Send(call.Ack()));
        Assert.IsType<CallStarted>(harness.Events[^1]);
    }

    [Fact]
    public void Cancel_for_an_unknown_transaction_is_481()
    {
        var harness = new ServerHarness();
        ServerHarness.Single(harness.Send(new TrunkCall("nope").Cancel()), 481);
    }

    private static string Sdp(string direction, string address = "198.51.100.7", string formats = "8 0 101") => $"""
        v=0
        o=trunk 1 2 IN IP4 198.51.100.7
        s=-
        c=IN IP4 {address}
        t=0 0
        m=audio 30000 RTP/AVP {formats}
        a=rtpmap:101 telephone-event/8000
        a={direction}

        """;

    [Fact]
    public void Re_invite_hold_then_unhold_then_codec_change_are_answered_and_reported()
    {
        var (harness, call) = Confirmed();
        var hold = harness.Send(call.ReInvite(Sdp("sendonly"), "z9hG4bK-hold"));
        var ok = ServerHarness.Single(hold, 200);
        var answer = Encoding.UTF8.GetString(ok.Body.Span);
        Assert.Contains("a=recvonly", answer, StringComparison.Ordinal);
        Assert.Contains("o=WebRtcAsr ", answer, StringComparison.Ordinal);
        Assert.Contains("m=audio 40000 ", answer, StringComparison.Ordinal);
        Assert.Empty(harness.Send(call.Ack()));
        Assert.True(Assert.IsType<CallUpdated>(harness.Events[^1]).Media.OnHold);

        ServerHarness.Single(harness.Send(call.ReInvite(Sdp("inactive", "0.0.0.0"), "z9hG4bK-hold2")), 200);
        harness.Send(call.Ack());
        var held = Assert.IsType<CallUpdated>(harness.Events[^1]).Media;
        Assert.True(held.OnHold);
        Assert.Null(held.RemoteRtp);

        ServerHarness.Single(harness.Send(call.ReInvite(Sdp("sendrecv"), "z9hG4bK-unhold")), 200);
        harness.Send(call.Ack());
        Assert.False(Assert.IsType<CallUpdated>(harness.Events[^1]).Media.OnHold);

        ServerHarness.Single(harness.Send(call.ReInvite(Sdp("sendrecv", formats: "0 101"), "z9hG4bK-codec")), 200);
        harness.Send(call.Ack());
        Assert.Equal("PCMU", Assert.IsType<CallUpdated>(harness.Events[^1]).Media.Primary.Encoding);
        Assert.Equal(1, harness.Server.ActiveCalls);
    }

    [Fact]
    public void Re_invite_without_acceptable_codec_is_488_and_the_call_goes_on()
    {
        var (harness, call) = Confirmed();
        ServerHarness.Single(harness.Send(call.ReInvite(Sdp("sendrecv", formats: "18"), "z9hG4bK-g729")), 488);
        harness.Send(call.AckNon2xx());
        Assert.Equal(1, harness.Server.ActiveCalls);
        ServerHarness.Single(harness.Send(call.Bye()), 200);
    }

    [Fact]
    public void Re_invite_while_the_previous_one_awaits_its_ack_is_500_with_retry_after()
    {
        var (harness, call) = Confirmed();
        ServerHarness.Single(harness.Send(call.ReInvite(Sdp("sendonly"), "z9hG4bK-a")), 200);
        var second = ServerHarness.Single(harness.Send(call.ReInvite(Sdp("sendrecv"), "z9hG4bK-b")), 500);
        Assert.NotNull(second.Headers.Get("Retry-After"));
    }

    [Fact]
    public void Host_hangup_sends_a_bye_in_the_dialog_retransmitted_until_answered()
    {
        var (harness, call) = Confirmed();
        Assert.True(harness.Server.EndCall("call-1", harness.Now));
        var bye = Assert.IsType<SipRequest>(Assert.Single(harness.Drain()).Message);
        Assert.Equal("BYE", bye.Method);
        Assert.Equal("sip:+15551230000@198.51.100.7:5060", bye.RequestUri.Text);
        Assert.Equal(call.ToTag, bye.From!.Tag);
        Assert.Equal("trunk-call-1", bye.To!.Tag);
        Assert.Equal(new SipCSeq(1, "BYE"), bye.CSeq);
        Assert.Equal(new CallEnded("call-1", CallEndReason.LocalHangup), harness.Events[^1]);
        Assert.False(harness.Server.EndCall("call-1", harness.Now));

        var resent = harness.Advance(Ms(1600));
        Assert.Equal(2, resent.Count);
        Assert.All(resent, r => Assert.Equal("BYE", ((SipRequest)r.Message).Method));

        var ok = SipResponseFactory.Create(bye, 200, null);
        harness.Send(SipMessageWriter.ToBytes(ok));
        Assert.Empty(harness.Advance(TimeSpan.FromSeconds(40)));
        Assert.Equal(0, harness.Server.ActiveTransactions);
    }

    [Fact]
    public void Media_stopped_ends_the_call_with_a_bye_carrying_a_reason()
    {
        var (harness, _) = Confirmed();
        Assert.True(harness.Server.ReportMediaStopped("call-1", harness.Now));
        var bye = Assert.IsType<SipRequest>(Assert.Single(harness.Drain()).Message);
        Assert.Contains("media timeout", bye.Headers.Get("Reason"), StringComparison.Ordinal);
        Assert.Equal(new CallEnded("call-1", CallEndReason.MediaTimeout), harness.Events[^1]);
    }

    [Fact]
    public void Hangup_before_the_ack_waits_for_it_then_sends_bye()
    {
        var (harness, call, _) = Answered();
        Assert.True(harness.Server.EndCall("call-1", harness.Now));
        Assert.Empty(harness.Drain());
        var sent = harness.Send(call.Ack());
        Assert.Equal("BYE", Assert.IsType<SipRequest>(Assert.Single(sent).Message).Method);
        Assert.Equal(new CallEnded("call-1", CallEndReason.LocalHangup), harness.Events[^1]);
    }

    [Fact]
    public void Hangup_while_ringing_answers_480()
    {
        var harness = new ServerHarness(ServerHarness.Options() with { RingingDuration = TimeSpan.FromSeconds(5) });
        harness.Send(new TrunkCall("call-h").Invite());
        harness.Server.EndCall("call-h", harness.Now);
        ServerHarness.Single(harness.Drain(), 480);
        Assert.DoesNotContain(harness.Advance(TimeSpan.FromSeconds(6)), s => s.Message is SipResponse { StatusCode: 200 });
    }

    [Fact]
    public void Invite_without_sdp_gets_our_offer_and_the_answer_in_the_ack_starts_the_call()
    {
        var harness = new ServerHarness();
        var call = new TrunkCall("call-d");
        var sent = harness.Send(call.Invite(sdp: null));
        var ok = (SipResponse)sent[1].Message;
        Assert.Contains("m=audio 40000 RTP/AVP 0 8 101", Encoding.UTF8.GetString(ok.Body.Span), StringComparison.Ordinal);
        call.ToTag = ok.To!.Tag;
        harness.Send(call.Ack(Sdp("sendrecv", formats: "0 101")));
        var started = Assert.IsType<CallStarted>(harness.Events[^1]);
        Assert.Equal("PCMU", started.Media.Primary.Encoding);
    }

    [Fact]
    public void Options_keepalive_gets_200_with_allow_accept_and_supported()
    {
        var harness = new ServerHarness();
        var options = new TrunkCall("ka").Request("OPTIONS", "z9hG4bK-ka", 1, string.Empty, string.Empty);
        var ok = ServerHarness.Single(harness.Send(options), 200);
        Assert.Equal("INVITE, ACK, CANCEL, BYE, OPTIONS", ok.Headers.Get("Allow"));
        Assert.Equal("application/sdp", ok.Headers.Get("Accept"));
        Assert.NotNull(ok.Headers.Get("Supported"));
        Assert.Equal(0, harness.Server.ActiveCalls);
    }
}
