using System.Net;
using System.Text;
using WebRtcAsr.Sip.Messages;

namespace WebRtcAsr.Sip.Tests.Messages;

public class SipMessageWriterTests
{
    private static SipRequest Invite() => Assert.IsType<SipRequest>(SipMessageParser.Parse(SipText.Wire("""
        INVITE sip:bob@biloxi.example.com SIP/2.0
        Via: SIP/2.0/UDP client.atlanta.example.com:5060;branch=z9hG4bK74bf9;rport
        Via: SIP/2.0/UDP proxy.example.com;branch=z9hG4bKfirst, SIP/2.0/UDP origin.example.com;branch=z9hG4bKzero
        Max-Forwards: 70
        From: Alice <sip:alice@atlanta.example.com>;tag=9fxced76sl
        To: Bob <sip:bob@biloxi.example.com>
        Call-ID: 3848276298220188511@atlanta.example.com
        CSeq: 1 INVITE
        Timestamp: 54
        Contact: <sip:alice@client.atlanta.example.com;transport=tcp>
        Content-Length: 0


        """), SipLimits.Default, true).Message);

    [Fact]
    public void Response_copies_via_from_call_id_cseq_and_tags_to_per_rfc3261_8_2_6()
    {
        var invite = Invite();
        var topVia = invite.TopVia!.WithReceived(new IPEndPoint(IPAddress.Parse("192.0.2.101"), 5071));
        var response = SipResponseFactory.Create(invite, 180, "ourtag", topVia);
        var text = SipMessageWriter.ToText(response);
        Assert.StartsWith("SIP/2.0 180 Ringing\r\n", text, StringComparison.Ordinal);
        Assert.Contains("Via: SIP/2.0/UDP client.atlanta.example.com:5060;branch=z9hG4bK74bf9;rport=5071;received=192.0.2.101\r\n", text, StringComparison.Ordinal);
        Assert.Contains("Via: SIP/2.0/UDP proxy.example.com;branch=z9hG4bKfirst\r\nVia: SIP/2.0/UDP origin.example.com;branch=z9hG4bKzero\r\n", text, StringComparison.Ordinal);
        Assert.Contains("To: Bob <sip:bob@biloxi.example.com>;tag=ourtag\r\n", text, StringComparison.Ordinal);
        Assert.Contains("From: Alice <sip:alice@atlanta.example.com>;tag=9fxced76sl\r\n", text, StringComparison.Ordinal);
        Assert.Contains("CSeq: 1 INVITE\r\n", text, StringComparison.Ordinal);
        Assert.DoesNotContain("Timestamp", text, StringComparison.Ordinal);
        Assert.EndsWith("Content-Length: 0\r\n\r\n", text, StringComparison.Ordinal);

        // What we write parses back with the same meaning.
        var reparsed = Assert.IsType<SipResponse>(SipMessageParser.Parse(Encoding.UTF8.GetBytes(text), SipLimits.Default, true).Message);
        Assert.Equal(3, reparsed.Vias.Count);
        Assert.Equal("ourtag", reparsed.To!.Tag);
        Assert.Equal("5071", reparsed.Vias[0].Parameters.Get("rport"));
    }

    [Fact]
    public void Trying_has_no_to_tag_and_echoes_timestamp()
    {
        var text = SipMessageWriter.ToText(SipResponseFactory.Create(Invite(), 100, "ourtag"));
        Assert.Contains("To: Bob <sip:bob@biloxi.example.com>\r\n", text, StringComparison.Ordinal);
        Assert.Contains("Timestamp: 54\r\n", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Writer_sets_content_length_from_the_body_and_reports_a_small_destination()
    {
        var response = SipResponseFactory.Create(Invite(), 200, "t");
        response.Headers.Add(SipHeaderNames.ContentLength, "999");
        response.Headers.Add(SipHeaderNames.ContentType, "application/sdp");
        response.Body = Encoding.ASCII.GetBytes("v=0\r\n");
        var bytes = SipMessageWriter.ToBytes(response);
        var text = Encoding.UTF8.GetString(bytes);
        Assert.Contains("Content-Length: 5\r\n\r\nv=0\r\n", text, StringComparison.Ordinal);
        Assert.DoesNotContain("999", text, StringComparison.Ordinal);
        Assert.False(SipMessageWriter.TryWrite(response, new byte[bytes.Length - 1], out _));
        var exact = new byte[bytes.Length];
        Assert.True(SipMessageWriter.TryWrite(response, exact, out var written));
        Assert.Equal(bytes.Length, written);
        Assert.Equal(bytes, exact);
    }

    [Fact]
    public void Via_received_is_added_only_when_the_source_differs_or_rport_asks()
    {
        Assert.True(SipVia.TryParse("SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bKa", out var via, out _));
        Assert.Equal("SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bKa", via.WithReceived(new IPEndPoint(IPAddress.Parse("192.0.2.1"), 5060)).ToString());
        Assert.Equal("SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bKa;received=192.0.2.9", via.WithReceived(new IPEndPoint(IPAddress.Parse("192.0.2.9"), 5060)).ToString());
    }

    [Theory]
    [InlineData("sip:alice@atlanta.com", "sip", "alice", "atlanta.com", null)]
    [InlineData("sips:alice:secretword@atlanta.com;transport=tcp", "sips", "alice", "atlanta.com", null)]
    [InlineData("sip:+1-212-555-1212:1234@gateway.com;user=phone", "sip", "+1-212-555-1212", "gateway.com", null)]
    [InlineData("sip:alice@192.0.2.4:5070", "sip", "alice", "192.0.2.4", 5070)]
    [InlineData("sip:atlanta.com;method=REGISTER?to=alice%40atlanta.com", "sip", null, "atlanta.com", null)]
    [InlineData("sip:[2001:db8::10]:5070", "sip", null, "2001:db8::10", 5070)]
    [InlineData("tel:+1-201-555-0123;phone-context=example.com", "tel", "+1-201-555-0123", "", null)]
    public void Uris_of_rfc3261_19_1_3_parse(string text, string scheme, string? user, string host, int? port)
    {
        Assert.True(SipUri.TryParse(text, out var uri, out var error), error);
        Assert.Equal(scheme, uri.Scheme);
        Assert.Equal(user, uri.User);
        Assert.Equal(host, uri.Host);
        Assert.Equal(port, uri.Port);
    }

    [Theory]
    [InlineData("sip:")]
    [InlineData("sip:alice@")]
    [InlineData("sip:alice@host:99999")]
    [InlineData("sip:alice@[2001:db8::10")]
    [InlineData("sip:al ice@host")]
    [InlineData("nocolon")]
    [InlineData("sip:%zz@host")]
    public void Bad_uris_are_rejected(string text)
    {
        Assert.False(SipUri.TryParse(text, out _, out var error));
        Assert.NotNull(error);
    }
}
