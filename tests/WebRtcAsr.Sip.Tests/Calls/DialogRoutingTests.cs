using System.Net;
using WebRtcAsr.Sip.Calls;
using WebRtcAsr.Sip.Messages;
using WebRtcAsr.Sip.Transactions;

namespace WebRtcAsr.Sip.Tests.Calls;

/// <summary>Route sets, TCP flows, and the less common endings of a call.</summary>
public class DialogRoutingTests
{
    [Fact]
    public void Record_route_is_echoed_in_the_200_and_our_bye_follows_the_route_set()
    {
        var harness = new ServerHarness();
        var call = new TrunkCall("rr");
        var invite = call.Invite(extraHeaders: "Record-Route: <sip:192.0.2.50:5070;lr>, <sip:edge.example.net;lr>\n");
        var ok = (SipResponse)harness.Send(invite)[1].Message;
        Assert.Equal(["<sip:192.0.2.50:5070;lr>", "<sip:edge.example.net;lr>"], ok.Headers.GetValues("Record-Route"));
        call.ToTag = ok.To!.Tag;
        harness.Send(call.Ack());

        harness.Server.EndCall("rr", harness.Now);
        var (bye, raw) = Assert.Single(harness.Drain());
        var request = Assert.IsType<SipRequest>(bye);
        Assert.Equal(["<sip:192.0.2.50:5070;lr>", "<sip:edge.example.net;lr>"], request.Headers.GetValues("Route"));
        Assert.Equal("sip:+15551230000@198.51.100.7:5060", request.RequestUri.Text);
        Assert.Equal(new IPEndPoint(IPAddress.Parse("192.0.2.50"), 5070), raw.Flow.Remote);
    }

    [Fact]
    public void Over_tcp_responses_and_our_bye_use_the_same_connection_without_retransmissions()
    {
        var harness = new ServerHarness();
        var flow = new SipFlow(SipTransportKind.Tcp, new IPEndPoint(IPAddress.Parse("198.51.100.7"), 40999), ConnectionId: 42);
        var call = new TrunkCall("tcp");
        harness.Server.HandleDatagram(SipText.Wire(call.Invite().Replace("SIP/2.0/UDP", "SIP/2.0/TCP", StringComparison.Ordinal)), flow, harness.Now);
        var sent = harness.Drain();
        Assert.All(sent, s => Assert.Equal(flow, s.Raw.Flow));
        Assert.Equal("<sip:192.0.2.1:5060;transport=tcp>", sent[1].Message.Headers.Get("Contact"));

        // No 2xx retransmissions on a reliable transport; the ACK deadline still holds.
        var later = harness.Advance(TimeSpan.FromSeconds(33));
        var bye = Assert.IsType<SipRequest>(Assert.Single(later).Message);
        Assert.Equal("BYE", bye.Method);
        Assert.StartsWith("SIP/2.0/TCP ", bye.Headers.Get("Via"), StringComparison.Ordinal);
        Assert.Equal(new CallEnded("tcp", CallEndReason.AckTimeout), harness.Events[^1]);
    }

    [Fact]
    public void Unusable_answer_in_the_ack_ends_the_call_with_bye()
    {
        var harness = new ServerHarness();
        var call = new TrunkCall("bad-answer");
        call.ToTag = harness.Send(call.Invite(sdp: null))[1].Message.To!.Tag;
        var sent = harness.Send(call.Ack("v=0\no=- 1 1 IN IP4 198.51.100.7\ns=-\nc=IN IP4 198.51.100.7\nt=0 0\nm=audio 30000 RTP/AVP 18\n"));
        Assert.Equal("BYE", Assert.IsType<SipRequest>(Assert.Single(sent).Message).Method);
        Assert.Equal(new CallEnded("bad-answer", CallEndReason.MediaNegotiationFailed), harness.Events[^1]);
        Assert.DoesNotContain(harness.Events, e => e is CallStarted);
    }

    [Fact]
    public void Merged_invite_with_a_known_call_id_is_482()
    {
        var harness = new ServerHarness();
        harness.Send(new TrunkCall("dup").Invite());
        ServerHarness.Single(harness.Send(new TrunkCall("dup").Invite(branch: "z9hG4bK-other")), 482);
        Assert.Equal(1, harness.Server.ActiveCalls);
    }

    [Fact]
    public void Bye_with_an_old_cseq_is_refused_and_the_call_stays()
    {
        var harness = new ServerHarness();
        var call = new TrunkCall("old");
        call.ToTag = harness.Send(call.Invite())[1].Message.To!.Tag;
        harness.Send(call.Ack());
        ServerHarness.Single(harness.Send(call.Request("BYE", "z9hG4bK-stale", 1, string.Empty, string.Empty)), 500);
        Assert.Equal(1, harness.Server.ActiveCalls);
    }

    [Fact]
    public void Bye_with_a_wrong_tag_is_481()
    {
        var harness = new ServerHarness();
        var call = new TrunkCall("tag");
        harness.Send(call.Invite());
        harness.Drain();
        call.ToTag = "not-ours";
        ServerHarness.Single(harness.Send(call.Bye()), 481);
        Assert.Equal(1, harness.Server.ActiveCalls);
    }
}
