using System.Net;
using WebRtcAsr.Sip.Calls;
using WebRtcAsr.Sip.Messages;

namespace WebRtcAsr.Sip.Tests.Calls;

/// <summary>Peers whose branches lack the magic cookie (RFC 2543), and response routing without rport.</summary>
public class Rfc2543CompatibilityTests
{
    private static string Invite(string branchParam, string via = "198.51.100.7:5060") => $"""
        INVITE sip:100@192.0.2.1 SIP/2.0
        Via: SIP/2.0/UDP {via}{branchParam}
        From: <sip:old@198.51.100.7>;tag=old1
        To: <sip:100@192.0.2.1>
        Call-ID: legacy-1@198.51.100.7
        CSeq: 5 INVITE
        Contact: <sip:old@198.51.100.7>
        Content-Type: application/sdp
        Content-Length: {SipText.Wire(TrunkCall.Offer).Length}

        {TrunkCall.Offer}
        """;

    [Theory]
    [InlineData(";branch=1234")]
    [InlineData("")]
    public void Retransmission_and_cancel_are_matched_without_a_magic_cookie(string branchParam)
    {
        var harness = new ServerHarness(ServerHarness.Options() with { RingingDuration = TimeSpan.FromSeconds(3) });
        var first = harness.Send(Invite(branchParam));
        Assert.Equal(2, first.Count);
        var toTag = first[1].Message.To!.Tag;

        Assert.Single(harness.Send(Invite(branchParam)));
        Assert.Single(harness.Events.OfType<CallOffered>());

        var cancel = $"""
            CANCEL sip:100@192.0.2.1 SIP/2.0
            Via: SIP/2.0/UDP 198.51.100.7:5060{branchParam}
            From: <sip:old@198.51.100.7>;tag=old1
            To: <sip:100@192.0.2.1>
            Call-ID: legacy-1@198.51.100.7
            CSeq: 5 CANCEL
            Content-Length: 0


            """;
        var sent = harness.Send(cancel);
        Assert.Equal([200, 487], sent.Select(s => ((SipResponse)s.Message).StatusCode));

        var ack = $"""
            ACK sip:100@192.0.2.1 SIP/2.0
            Via: SIP/2.0/UDP 198.51.100.7:5060{branchParam}
            From: <sip:old@198.51.100.7>;tag=old1
            To: <sip:100@192.0.2.1>;tag={toTag}
            Call-ID: legacy-1@198.51.100.7
            CSeq: 5 ACK
            Content-Length: 0


            """;
        Assert.Empty(harness.Send(ack));
        Assert.Equal(0, harness.Server.Counters.StrayAcks);
        Assert.Empty(harness.Advance(TimeSpan.FromSeconds(5)));
    }

    [Fact]
    public void Responses_without_rport_go_to_the_source_address_and_the_via_port()
    {
        var harness = new ServerHarness();
        var source = new IPEndPoint(IPAddress.Parse("198.51.100.7"), 40123);
        var sent = harness.Send(Invite(";branch=z9hG4bK-norport", "trunk.example.net:5099"), source);
        Assert.All(sent, s => Assert.Equal(new IPEndPoint(IPAddress.Parse("198.51.100.7"), 5099), s.Raw.Flow.Remote));
        Assert.Equal("198.51.100.7", sent[0].Message.TopVia!.Parameters.Get("received"));
        Assert.False(sent[0].Message.TopVia!.Parameters.Contains("rport"));
    }
}
