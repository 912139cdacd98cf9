using WebRtcAsr.Sip.Calls;
using WebRtcAsr.Sip.Messages;

namespace WebRtcAsr.Sip.Tests.Calls;

/// <summary>
/// With AnswerAfterMediaReady the 200 OK waits for the host's report that the call's RTP port is bound, so a caller
/// that sends RTP on the 200 never hits a closed port; the host may instead refuse the call with a status and reason.
/// </summary>
public class MediaReadyAnswerTests
{
    private static SipServerOptions Options(TimeSpan? ringing = null) => ServerHarness.Options() with
    {
        AnswerAfterMediaReady = true,
        MediaReadyTimeout = TimeSpan.FromSeconds(5),
        RingingDuration = ringing ?? TimeSpan.Zero,
    };

    private static int[] Statuses(IEnumerable<(SipMessage Message, WebRtcAsr.Sip.Transactions.SipTransmit Raw)> sent) =>
        [.. sent.Where(s => s.Message is SipResponse).Select(s => ((SipResponse)s.Message).StatusCode)];

    [Fact]
    public void The_200_waits_for_the_media_ready_report()
    {
        var harness = new ServerHarness(Options());
        var call = new TrunkCall("ready-1");
        Assert.Equal([100], Statuses(harness.Send(call.Invite())));
        Assert.IsType<CallOffered>(Assert.Single(harness.Events));
        Assert.DoesNotContain(harness.Advance(TimeSpan.FromSeconds(1)), s => s.Message is SipResponse);

        Assert.True(harness.Server.ReportMediaReady("ready-1", harness.Now));
        var ok = ServerHarness.Single(harness.Drain(), 200);
        Assert.Equal("application/sdp", ok.ContentType);
        call.ToTag = ok.To!.Tag;
        Assert.Empty(harness.Send(call.Ack()));
        Assert.IsType<CallStarted>(harness.Events[^1]);
    }

    [Fact]
    public void Ringing_and_media_ready_both_come_before_the_200()
    {
        var harness = new ServerHarness(Options(ringing: TimeSpan.FromMilliseconds(300)));
        var call = new TrunkCall("ready-2");
        Assert.Equal([100, 180], Statuses(harness.Send(call.Invite())));

        // Media first: the 200 still waits for the ring time.
        harness.Server.ReportMediaReady("ready-2", harness.Now);
        Assert.Empty(Statuses(harness.Drain()));
        Assert.Equal([200], [.. harness.Advance(TimeSpan.FromMilliseconds(300)).Select(s => s.Message).OfType<SipResponse>().Select(r => r.StatusCode)]);

        // Ring time first: the 200 waits for the media.
        var late = new TrunkCall("ready-3");
        Assert.Equal([100, 180], Statuses(harness.Send(late.Invite())));
        Assert.DoesNotContain(harness.Advance(TimeSpan.FromMilliseconds(400)), s => s.Message is SipResponse { StatusCode: 200 });
        harness.Server.ReportMediaReady("ready-3", harness.Now);
        ServerHarness.Single(harness.Drain(), 200);
    }

    [Fact]
    public void A_refused_call_gets_the_status_and_reason_and_ends_as_refused()
    {
        var harness = new ServerHarness(Options());
        var call = new TrunkCall("refused-1");
        harness.Send(call.Invite());
        Assert.True(harness.Server.RejectCall("refused-1", 503, "session_limit: \"200\" sessions", harness.Now));
        var refused = ServerHarness.Single(harness.Drain(), 503);
        Assert.Equal("5", refused.Headers.Get("Retry-After"));
        Assert.Equal("399 192.0.2.1 \"session_limit: \\\"200\\\" sessions\"", refused.Headers.Get("Warning"));
        Assert.Equal(new CallEnded("refused-1", CallEndReason.Refused), harness.Events[^1]);
        Assert.Equal(0, harness.Server.ActiveCalls);
        Assert.Equal(1, harness.Server.Counters.Refused);

        // A second refusal of the same call does nothing; the next call is taken as usual.
        Assert.False(harness.Server.RejectCall("refused-1", 486, "again", harness.Now));
        Assert.IsType<CallOffered>(Last(harness, new TrunkCall("after-1")));
    }

    [Fact]
    public void No_media_report_within_the_timeout_refuses_the_call_with_503()
    {
        var harness = new ServerHarness(Options());
        harness.Send(new TrunkCall("never-1").Invite());
        var sent = harness.Advance(TimeSpan.FromSeconds(5));
        Assert.Contains(sent, s => s.Message is SipResponse { StatusCode: 503 });
        Assert.Equal(new CallEnded("never-1", CallEndReason.Refused), harness.Events[^1]);
    }

    [Fact]
    public void Without_the_option_the_200_goes_out_at_once_and_the_report_is_harmless()
    {
        var harness = new ServerHarness();
        Assert.Equal([100, 200], Statuses(harness.Send(new TrunkCall("plain-1").Invite())));
        Assert.True(harness.Server.ReportMediaReady("plain-1", harness.Now));
        Assert.Empty(harness.Drain());
        Assert.False(harness.Server.ReportMediaReady("unknown", harness.Now));
    }

    private static SipCallEvent Last(ServerHarness harness, TrunkCall call)
    {
        harness.Send(call.Invite());
        return harness.Events[^1];
    }
}
