using WebRtcAsr.Sip.Messages;

namespace WebRtcAsr.Sip.Tests.Messages;

/// <summary>RFC 4475 §3.1.2 and §3.3: invalid messages the parser must reject, each with a reason.</summary>
public class Rfc4475InvalidMessageTests
{
    private const string Sdp = """
        v=0
        o=mhandley 29739 7272939 IN IP4 192.0.2.15
        s=-
        c=IN IP4 192.0.2.15
        t=0 0
        m=audio 49217 RTP/AVP 0 12
        m =video 3227 RTP/AVP 31
        a=rtpmap:31 LPC

        """;

    private static SipParseResult ParseInvalid(byte[] bytes, string reasonFragment)
    {
        var result = SipMessageParser.Parse(bytes, SipLimits.Default, datagram: true);
        Assert.Equal(SipParseStatus.Invalid, result.Status);
        Assert.Contains(reasonFragment, result.Error, StringComparison.OrdinalIgnoreCase);
        return result;
    }

    [Fact]
    public void Badinv01_extraneous_separators_in_parameters()
    {
        ParseInvalid(SipText.WithBody("""
            INVITE sip:user@example.com SIP/2.0
            To: sip:j.user@example.com
            From: sip:caller@example.net;;tag=134161461246
            Max-Forwards: 7
            Call-ID: badinv01.0ha0isndaksdjasdf3234nas
            CSeq: 8 INVITE
            Via: SIP/2.0/UDP 192.0.2.15;;,;,,
            Contact: "Joe" <sip:joe@example.org>;;;;
            Content-Length: {LEN}
            Content-Type: application/sdp


            """, Sdp), "parameter");
    }

    [Fact]
    public void Clerr_content_length_larger_than_the_datagram()
    {
        var result = ParseInvalid(SipText.Wire("""
            INVITE sip:user@example.com SIP/2.0
            Max-Forwards: 80
            To: sip:j.user@example.com
            From: sip:caller@example.net;tag=93942939o2
            Contact: <sip:caller@hungry.example.net>
            Call-ID: clerr.0ha0isndaksdjweiafasdk3
            CSeq: 8 INVITE
            Via: SIP/2.0/UDP host5.example.com;branch=z9hG4bK-39234-23523
            Content-Type: application/sdp
            Content-Length: 9999


            """ + Sdp), "Content-Length is larger");
        Assert.IsType<SipRequest>(result.Message);
        Assert.Equal(400, result.ErrorStatus);
    }

    [Fact]
    public void Scalar02_negative_content_length()
    {
        ParseInvalid(SipText.Wire("""
            REGISTER sip:example.com SIP/2.0
            Via: SIP/2.0/TCP host129.example.com;branch=z9hG4bKzzxdiwo34sw;received=192.0.2.129
            To: <sip:user@example.com>
            From: <sip:other@example.net>;tag=3411345
            Max-Forwards: 8
            Contact: <sip:user@host129.example.com>;expires=0
            Call-ID: scalar02.23o0pd9vanlq3wnrlnewofjas9ui32
            CSeq: 8 REGISTER
            Content-Length: -999


            """), "Content-Length");
    }

    [Fact]
    public void Scalarlg_overlarge_scalar_values()
    {
        ParseInvalid(SipText.Wire("""
            REGISTER sip:example.com SIP/2.0
            Via: SIP/2.0/TCP host129.example.com;branch=z9hG4bKzzxdiwo34sw;received=192.0.2.129
            To: <sip:user@example.com>
            From: <sip:other@example.net>;tag=3411345
            Max-Forwards: 300
            Expires: 1000000000000000000000
            Contact: <sip:user@host129.example.com>;expires=280297596632815
            Call-ID: scalarlg.98asdh@192.0.2.1
            CSeq: 36893488147419103232 REGISTER
            Content-Length: 0


            """), "CSeq");
    }

    [Theory]
    [InlineData("Max-Forwards: 300", "Max-Forwards")]
    [InlineData("Expires: 10000000000", "Expires")]
    public void Scalarlg_each_overlarge_field_alone_is_rejected(string field, string reason)
    {
        ParseInvalid(SipText.Wire($"""
            REGISTER sip:example.com SIP/2.0
            Via: SIP/2.0/TCP host129.example.com;branch=z9hG4bKzzxdiwo34sw
            To: <sip:user@example.com>
            From: <sip:other@example.net>;tag=3411345
            {field}
            Call-ID: scalarlg.98asdh@192.0.2.1
            CSeq: 8 REGISTER
            Content-Length: 0


            """), reason);
    }

    [Fact]
    public void Quotbal_unterminated_quoted_display_name()
    {
        ParseInvalid(SipText.WithBody("""
            INVITE sip:user@example.com SIP/2.0
            To: "Mr. J. User <sip:j.user@example.com>
            From: sip:caller@example.net;tag=93334
            Max-Forwards: 10
            Call-ID: quotbal.aksdj
            Contact: <sip:caller@host59.example.net>
            CSeq: 8 INVITE
            Via: SIP/2.0/UDP 192.0.2.59:5050;branch=z9hG4bKkdjuw39234
            Content-Type: application/sdp
            Content-Length: {LEN}


            """, Sdp), "unterminated");
    }

    [Theory]
    [InlineData("INVITE <sip:user@example.com> SIP/2.0", "Request-URI")] // ltgtruri
    [InlineData("INVITE sip:user@example.com; lr SIP/2.0", "request line")] // lwsruri
    [InlineData("INVITE  sip:user@example.com  SIP/2.0", "request line")] // lwsstart
    [InlineData("INVITE sip:user@example.com SIP/2.0 ", "request line")] // trws
    [InlineData("INVITE sip:user@example.com SIP/7.0", "version")] // badvers
    public void Malformed_request_lines_are_rejected(string requestLine, string reason)
    {
        var result = ParseInvalid(SipText.Wire(requestLine + """

            To: sip:user@example.com
            From: sip:caller@example.net;tag=39291
            Max-Forwards: 23
            Call-ID: ltgtruri.1@192.0.2.5
            CSeq: 1 INVITE
            Via: SIP/2.0/UDP 192.0.2.5;branch=z9hG4bKkdjuw
            Content-Length: 0


            """), reason);
        if (reason == "version")
        {
            Assert.Equal(505, result.ErrorStatus);
            Assert.NotNull(result.Message);
        }
    }

    [Fact]
    public void Regbadct_addr_spec_with_a_question_mark_must_be_in_angle_brackets()
    {
        ParseInvalid(SipText.Wire("""
            REGISTER sip:example.com SIP/2.0
            To: sip:user@example.com
            From: sip:user@example.com;tag=998332
            Max-Forwards: 70
            Call-ID: regbadct.k345asrl3fdbv@10.0.0.1
            CSeq: 1 REGISTER
            Via: SIP/2.0/UDP 135.180.130.133:5060;branch=z9hG4bKkdjuw
            Contact: sip:user@example.com?Route=%3Csip:sip.example.com%3E
            l: 0


            """), "Contact");
    }

    [Fact]
    public void Badaspec_whitespace_inside_the_angle_brackets()
    {
        ParseInvalid(SipText.Wire("""
            OPTIONS sip:user@example.org SIP/2.0
            Via: SIP/2.0/UDP host4.example.com:5060;branch=z9hG4bKkdju43234
            Max-Forwards: 70
            From: "Bell, Alexander" <sip:a.g.bell@example.com>;tag=433423
            To: "Watson, Thomas" < sip:t.watson@example.org >
            Call-ID: badaspec.sdf0234n2nds0a099u23h3hnnw009cdkne3
            Accept: application/sdp
            CSeq: 3923239 OPTIONS
            l: 0


            """), "To");
    }

    [Fact]
    public void Baddn_display_name_with_non_token_characters_unquoted()
    {
        ParseInvalid(SipText.Wire("""
            OPTIONS sip:t.watson@example.org SIP/2.0
            Via:     SIP/2.0/UDP c.example.com:5060;branch=z9hG4bKkdjuw
            Max-Forwards:      70
            From:    Bell, Alexander <sip:a.g.bell@example.com>;tag=43
            To:      Watson, Thomas <sip:t.watson@example.org>
            Call-ID: baddn.31415@c.example.com
            Accept: application/sdp
            CSeq:    3923239 OPTIONS
            l: 0


            """), "display name");
    }

    [Fact]
    public void Mismatch01_cseq_method_differs_from_the_request_method()
    {
        ParseInvalid(SipText.Wire("""
            OPTIONS sip:user@example.com SIP/2.0
            To: sip:j.user@example.com
            From: sip:caller@example.net;tag=34525
            Max-Forwards: 6
            Call-ID: mismatch01.dj0234sxdfl3
            CSeq: 8 INVITE
            Via: SIP/2.0/UDP host.example.com;branch=z9hG4bKkdjuw
            l: 0


            """), "CSeq method");
    }

    [Fact]
    public void Bigcode_response_code_of_more_than_three_digits()
    {
        ParseInvalid(SipText.Wire("""
            SIP/2.0 4294967301 better not break the receiver
            Via: SIP/2.0/UDP 192.0.2.105;branch=z9hG4bK2398ndaoe
            Call-ID: bigcode.asdof3uj203asdnf3429uasdhfas3ehjasdfas9i
            CSeq: 353494 INVITE
            From: <sip:user@example.com>;tag=39ansfi3
            To: <sip:user@example.edu>;tag=902jndnke3
            Content-Length: 0
            Contact: <sip:user@host105.example.com>


            """), "three digits");
    }

    [Fact]
    public void Insuf_missing_call_id_from_and_to()
    {
        var result = ParseInvalid(SipText.Wire("""
            INVITE sip:user@example.com SIP/2.0
            CSeq: 193942 INVITE
            Via: SIP/2.0/UDP 192.0.2.95;branch=z9hG4bKkdj.insuf
            Content-Type: application/sdp
            l: 0


            """), "From");
        Assert.Single(result.Message!.Vias);
    }

    [Fact]
    public void Multi01_more_than_one_single_valued_header()
    {
        ParseInvalid(SipText.WithBody("""
            INVITE sip:user@company.com SIP/2.0
            Contact: <sip:caller@host25.example.net>
            Via: SIP/2.0/UDP 192.0.2.25;branch=z9hG4bKkdjuw
            Max-Forwards: 70
            CSeq: 5 INVITE
            Call-ID: multi01.98asdh@192.0.2.1
            CSeq: 59 INVITE
            Call-ID: multi01.98asdh@192.0.2.2
            From: sip:caller@example.com;tag=3413415
            To: sip:user@example.com
            To: sip:other@example.net
            From: sip:caller@example.net;tag=2923420123
            Content-Type: application/sdp
            l: {LEN}
            Call-ID: multi01.98asdh@192.0.2.3
            Max-Forwards: 5


            """, Sdp), "more than one");
    }

    [Fact]
    public void Mcl01_conflicting_content_lengths()
    {
        ParseInvalid(SipText.Wire("""
            OPTIONS sip:user@example.com SIP/2.0
            Via: SIP/2.0/UDP host5.example.net;branch=z9hG4bK293423
            To: sip:user@example.com
            From: sip:other@example.net;tag=3923942
            Call-ID: mcl01.fhn2323orihawfdoa3o4r52o3irsdf
            CSeq: 15932 OPTIONS
            Content-Length: 13
            Max-Forwards: 60
            Content-Length: 5
            Content-Type: text/plain

            There's no way to know how many octets are supposed to be here.
            """), "conflicting Content-Length");
    }

    [Fact]
    public void Header_section_without_an_empty_line_is_rejected()
    {
        ParseInvalid(SipText.Wire("OPTIONS sip:a@b SIP/2.0\nVia: SIP/2.0/UDP h;branch=z9hG4bK1"), "not terminated");
    }

    [Fact]
    public void Limits_are_enforced_with_a_reason()
    {
        var tight = SipLimits.Default with { MaxHeaderCount = 5, MaxLineBytes = 100, MaxMessageBytes = 600 };
        var message = SipText.Wire("""
            OPTIONS sip:user@example.com SIP/2.0
            Via: SIP/2.0/UDP host5.example.net;branch=z9hG4bK293423
            To: sip:user@example.com
            From: sip:other@example.net;tag=3923942
            Call-ID: limits
            CSeq: 1 OPTIONS
            Max-Forwards: 70


            """);
        Assert.Contains("header", SipMessageParser.Parse(message, tight, true).Error, StringComparison.Ordinal);
        var longLine = SipText.Wire("OPTIONS sip:user@example.com SIP/2.0\nX-Long: " + new string('x', 200) + "\n\n");
        Assert.Contains("longer than 100", SipMessageParser.Parse(longLine, tight, true).Error, StringComparison.Ordinal);
        Assert.Contains("exceeds 600", SipMessageParser.Parse(new byte[700], tight, true).Error, StringComparison.Ordinal);
    }
}
