using System.Text;
using WebRtcAsr.Sip.Messages;
using WebRtcAsr.Sip.Tests.Calls;

namespace WebRtcAsr.Sip.Tests.Messages;

/// <summary>More RFC 4475 cases: escapes in tokens, multipart bodies, Contact parameters, escaped Request-URI headers.</summary>
public class Rfc4475MoreMessageTests
{
    private static SipMessage Valid(string text)
    {
        var result = SipMessageParser.Parse(SipText.Wire(text), SipLimits.Default, true);
        Assert.True(result.IsMessage, result.Error);
        return result.Message!;
    }

    [Fact]
    public void Esc02_escapes_in_method_and_header_names_are_literal_tokens()
    {
        var request = Assert.IsType<SipRequest>(Valid("""
            RE%47IST%45R sip:registrar.example.com SIP/2.0
            To: "%Z%45" <sip:resource@example.com>
            From: "%Z%45" <sip:resource@example.com>;tag=f232jadfj23
            Call-ID: esc02.asdfnqwo34rq23i34jrjasdcnl23nrlknsdf
            Via: SIP/2.0/TCP host.example.com;branch=z9hG4bK209323
            CSeq: 29344 RE%47IST%45R
            Max-Forwards: 70
            Contact: <sip:alias1@host1.example.com>
            C%6Fntact: <sip:alias2@host2.example.com>
            Contact: <sip:alias3@host3.example.com>
            l: 0


            """));
        Assert.Equal("RE%47IST%45R", request.Method);
        Assert.Equal("%Z%45", request.To!.DisplayName);
        Assert.Equal(2, request.Headers.GetValues("Contact").Count);
        Assert.Equal("<sip:alias2@host2.example.com>", request.Headers.Get("C%6Fntact"));

        // An unknown method is 405 at the UAS.
        ServerHarness.Single(new ServerHarness().Send(SipText.Wire(SipMessageWriter.ToText(request))), 405);
    }

    private const string Multipart = """
        INVITE sip:joe@example.com SIP/2.0
        To: <sip:joe@example.com>
        From: <sip:caller@example.net>;tag=08023
        Call-ID: mpart01.09sdfjaojfeaosdl@example.net
        CSeq: 1 INVITE
        Via: SIP/2.0/UDP 192.0.2.2;branch=z9hG4bKkdjuw3002
        Max-Forwards: 70
        Contact: <sip:caller@host.example.net>
        MIME-Version: 1.0
        Content-Type: multipart/mixed;boundary=boundary42
        Content-Length: {LEN}


        """;

    private const string MultipartBody = """
        --boundary42
        Content-Type: application/sdp

        v=0
        o=example 1 1 IN IP4 192.0.2.2
        s=-
        c=IN IP4 192.0.2.2
        t=0 0
        m=audio 4000 RTP/AVP 0

        --boundary42
        Content-Type: application/octet-stream
        Content-Disposition: signature;handling=optional

        sig
        --boundary42--

        """;

    [Fact]
    public void Mpart01_multipart_body_parses_and_a_uas_that_takes_only_sdp_answers_415()
    {
        var bytes = SipText.WithBody(Multipart, MultipartBody);
        var result = SipMessageParser.Parse(bytes, SipLimits.Default, true);
        Assert.True(result.IsMessage, result.Error);
        Assert.Equal("multipart/mixed", result.Message!.ContentType);
        Assert.Contains("--boundary42--", Encoding.UTF8.GetString(result.Message.Body.Span), StringComparison.Ordinal);
        var response = ServerHarness.Single(new ServerHarness().Send(bytes), 415);
        Assert.Equal("application/sdp", response.Headers.Get("Accept"));
    }

    [Theory]
    [InlineData("Contact: sip:+19725552222@gw1.example.net;unknownparam", false)] // cparam01: header parameter
    [InlineData("Contact: <sip:+19725552222@gw1.example.net;unknownparam>", true)] // cparam02: URI parameter
    [InlineData("Contact: <sip:user@example.com?Route=%3Csip:sip.example.com%3E>", false)] // regescrt
    public void Cparam_and_regescrt_contacts_parse_with_parameters_where_they_belong(string contact, bool uriParameter)
    {
        var request = Valid($"""
            REGISTER sip:example.com SIP/2.0
            Via: SIP/2.0/UDP saturn.example.com:5060;branch=z9hG4bKkdjuw
            Max-Forwards: 70
            From: sip:watson@example.com;tag=DkfVgjkrtMwaerKKpe
            To: sip:watson@example.com
            Call-ID: cparam.70710@saturn.example.com
            CSeq: 2 REGISTER
            {contact}
            l: 0


            """);
        Assert.True(SipNameAddress.TryParse(request.Headers.Get("Contact")!, out var parsed, out _));
        Assert.Equal(uriParameter, parsed.Uri.Parameters.Contains("unknownparam"));
    }

    [Fact]
    public void Escruri_headers_in_the_request_uri_are_rejected_with_400()
    {
        var harness = new ServerHarness();
        var response = ServerHarness.Single(harness.Send("""
            INVITE sip:user@example.com?Route=%3Csip:example.com%3E SIP/2.0
            To: sip:user@example.com
            From: sip:caller@example.net;tag=341518
            Max-Forwards: 7
            Contact: <sip:caller@host39923.example.net>
            Call-ID: escruri.23940-asdfhj-aje3br-234q098w-fawerh2q-h4n5
            CSeq: 149209342 INVITE
            Via: SIP/2.0/UDP host-of-the-hour.example.com;branch=z9hG4bKkdjuw
            l: 0


            """), 400);
        Assert.Contains("headers", response.Headers.Get("Warning"), StringComparison.Ordinal);
    }

    [Fact]
    public void Mismatch02_unknown_method_with_a_mismatched_cseq_is_400_not_405()
    {
        var harness = new ServerHarness();
        ServerHarness.Single(harness.Send("""
            NEWMETHOD sip:user@example.com SIP/2.0
            To: sip:j.user@example.com
            From: sip:caller@example.net;tag=34525
            Max-Forwards: 6
            Call-ID: mismatch02.dj0234sxdfl3
            CSeq: 8 INVITE
            Contact: <sip:caller@host.example.net>
            Via: SIP/2.0/UDP host.example.net;branch=z9hG4bKkdjuw
            l: 0


            """), 400);
    }
}
