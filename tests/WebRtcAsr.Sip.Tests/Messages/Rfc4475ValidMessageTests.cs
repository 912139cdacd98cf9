using System.Text;
using WebRtcAsr.Sip.Messages;

namespace WebRtcAsr.Sip.Tests.Messages;

/// <summary>RFC 4475 §3.1.1: valid messages a parser must accept, written out from the RFC.</summary>
public class Rfc4475ValidMessageTests
{
    private const string Sdp150 = """
        v=0
        o=mhandley 29739 7272939 IN IP4 192.0.2.3
        s=-
        c=IN IP4 192.0.2.4
        t=0 0
        m=audio 49217 RTP/AVP 0 12
        m=video 3227 RTP/AVP 31
        a=rtpmap:31 LPC

        """;

    private static SipMessage ParseValid(byte[] bytes)
    {
        var result = SipMessageParser.Parse(bytes, SipLimits.Default, datagram: true);
        Assert.True(result.IsMessage, result.Error);
        return result.Message!;
    }

    [Fact]
    public void Sdp_body_of_the_torture_messages_is_150_bytes_as_their_Content_Length_says()
    {
        Assert.Equal(150, SipText.Wire(Sdp150).Length);
    }

    [Fact]
    public void Wsinv_short_tortuous_invite_parses_with_folding_compact_forms_and_lws_everywhere()
    {
        var bytes = SipText.Wire("""
            INVITE sip:vivekg@chair-dnrc.example.com;unknownparam SIP/2.0
            TO :
             sip:vivekg@chair-dnrc.example.com ;   tag    = 1918181833n
            from   : "J Rosenberg \\\""       <sip:jdrosen@example.com>
              ;
              tag = 98asjd8
            MaX-fOrWaRdS: 0068
            Call-ID: wsinv.ndaksdj@192.0.2.1
            Content-Length   : 150
            cseq: 0009
              INVITE
            Via  : SIP  /   2.0
             /UDP
                192.0.2.2;branch=390skdjuw
            s :
            NewFangledHeader:   newfangled value
             continued newfangled value
            UnknownHeaderWithUnusualValue: ;;,,;;,;
            Content-Type: application/sdp
            Route:
             <sip:services.example.com;lr;unknownwith=value;unknown-no-value>
            v:  SIP  / 2.0  / TCP     spindle.example.com   ;
              branch  =   z9hG4bK9ikj8  ,
             SIP  /    2.0   / UDP  192.168.255.111   ; branch=
             z9hG4bK30239
            m:"Quoted string \"\"" <sip:jdrosen@example.com> ; newparam =
                  newvalue ;
              secondparam ; q = 0.33


            """ + Sdp150);
        var request = Assert.IsType<SipRequest>(ParseValid(bytes));
        Assert.Equal("INVITE", request.Method);
        Assert.Equal("chair-dnrc.example.com", request.RequestUri.Host);
        Assert.True(request.RequestUri.Parameters.Contains("unknownparam"));
        Assert.Equal("1918181833n", request.To!.Tag);
        Assert.Equal("J Rosenberg \\\"", request.From!.DisplayName);
        Assert.Equal("98asjd8", request.From.Tag);
        Assert.Equal(68, request.MaxForwards);
        Assert.Equal(new SipCSeq(9, "INVITE"), request.CSeq);
        Assert.Equal(3, request.Vias.Count);
        Assert.Equal("UDP", request.Vias[0].Transport);
        Assert.Equal("192.0.2.2", request.Vias[0].Host);
        Assert.Equal("390skdjuw", request.Vias[0].Branch);
        Assert.False(request.Vias[0].HasRfc3261Branch);
        Assert.Equal("TCP", request.Vias[1].Transport);
        Assert.Equal("z9hG4bK9ikj8", request.Vias[1].Branch);
        Assert.Equal("z9hG4bK30239", request.Vias[2].Branch);
        Assert.Equal("newfangled value continued newfangled value", request.Headers.Get("newfangledheader"));
        Assert.Equal(string.Empty, request.Headers.Get("Subject"));
        Assert.Equal("application/sdp", request.ContentType);
        Assert.Equal(150, request.Body.Length);
        Assert.True(SipNameAddress.TryParse(request.Headers.Get("Contact")!, out var contact, out _));
        Assert.Equal("Quoted string \"\"", contact.DisplayName);
        Assert.Equal("0.33", contact.Parameters.Get("q"));
    }

    [Fact]
    public void Intmeth_wide_range_of_valid_characters_including_escaped_controls_in_a_quoted_string()
    {
        var text = """
            !interesting-Method0123456789_*+`.%indeed'~ sip:1_unusual.URI~(to-be!sure)&isn't+it$/crazy?,/;;*:&it+has=1,weird!*pas$wo~d_too.(doesn't-it)@example.com SIP/2.0
            Via: SIP/2.0/TCP host1.example.com;branch=z9hG4bK-.!%66*_+`'~
            To: "BEL:\{BEL} NUL:\{NUL} DEL:\{DEL}" <sip:1_unusual.URI~(to-be!sure)&isn't+it$/crazy?,/;;*@example.com>
            From: token1~` token2'+_ token3*%!.- <sip:mundane@example.com>;fromParam''~+*_!.-%="работающий";tag=_token~1'+`*%!-.
            Call-ID: intmeth.word%ZK-!.*_+'@word`~)(><:\/"][?}{
            CSeq: 139122385 !interesting-Method0123456789_*+`.%indeed'~
            Max-Forwards: 255
            extensionHeader-!.%*+_`'~: 大停電
            Content-Length: 0


            """.Replace("{BEL}", "\u0007", StringComparison.Ordinal).Replace("{NUL}", "\0", StringComparison.Ordinal).Replace("{DEL}", "\u007f", StringComparison.Ordinal);
        var request = Assert.IsType<SipRequest>(ParseValid(SipText.Wire(text)));
        Assert.Equal("!interesting-Method0123456789_*+`.%indeed'~", request.Method);
        Assert.Equal("example.com", request.RequestUri.Host);
        Assert.Equal("1_unusual.URI~(to-be!sure)&isn't+it$/crazy?,/;;*", request.RequestUri.User);
        Assert.Equal("BEL:\u0007 NUL:\0 DEL:\u007f", request.To!.DisplayName);
        Assert.Equal("_token~1'+`*%!-.", request.From!.Tag);
        Assert.Equal("\"работающий\"", request.From.Parameters.Get("fromParam''~+*_!.-%"));
        Assert.Equal("大停電", request.Headers.Get("extensionHeader-!.%*+_`'~"));
        Assert.Equal(255, request.MaxForwards);
    }

    [Fact]
    public void Esc01_escaped_characters_in_uris()
    {
        var bytes = SipText.Wire("""
            INVITE sip:sips%3Auser%40example.com@example.net SIP/2.0
            To: sip:%75se%72@example.com
            From: <sip:I%20have%20spaces@example.net>;tag=938
            Max-Forwards: 87
            i: esc01.239409asdfakjkn23onasd0-3234
            CSeq: 234234 INVITE
            Via: SIP/2.0/UDP host5.example.net;branch=z9hG4bKkdjuw
            C: application/sdp
            Contact:
              <sip:cal%6Cer@host5.example.net;%6C%72;n%61me=v%61lue%25%34%31>
            Content-Length: 150


            """ + Sdp150);
        var request = Assert.IsType<SipRequest>(ParseValid(bytes));
        Assert.Equal("sips%3Auser%40example.com", request.RequestUri.User);
        Assert.Equal("example.net", request.RequestUri.Host);
        Assert.Equal("esc01.239409asdfakjkn23onasd0-3234", request.CallId);
        Assert.Equal("%75se%72", request.To!.Uri.User);
    }

    [Fact]
    public void Escnull_escaped_nulls_in_uris_and_two_contacts()
    {
        var request = ParseValid(SipText.Wire("""
            REGISTER sip:example.com SIP/2.0
            To: sip:null-%00-null@example.com
            From: sip:null-%00-null@example.com;tag=839923423
            Max-Forwards: 70
            Call-ID: escnull.39203ndfvkjdasfkq3w4otrq0adsfdfnavd
            CSeq: 14398234 REGISTER
            Via: SIP/2.0/UDP host5.example.com;branch=z9hG4bKkdjuw
            Contact: <sip:%00@host5.example.com>
            Contact: <sip:%00%00@host5.example.com>
            L:0


            """));
        Assert.Equal(2, request.Headers.GetValues("Contact").Count);
        Assert.Equal("839923423", request.From!.Tag);
    }

    [Fact]
    public void Lwsdisp_no_whitespace_between_display_name_and_angle_bracket()
    {
        var request = ParseValid(SipText.Wire("""
            OPTIONS sip:user@example.com SIP/2.0
            To: sip:user@example.com
            From: caller<sip:caller@example.com>;tag=323
            Max-Forwards: 70
            Call-ID: lwsdisp.1234abcd@funky.example.com
            CSeq: 60 OPTIONS
            Via: SIP/2.0/UDP funky.example.com;branch=z9hG4bKkdjuw
            l: 0


            """));
        Assert.Equal("caller", request.From!.DisplayName);
        Assert.Equal("323", request.From.Tag);
    }

    [Fact]
    public void Longreq_long_values_in_header_fields_parse()
    {
        var longToken = new string('a', 2000);
        var vias = string.Concat(Enumerable.Range(0, 20).Select(i => $"Via: SIP/2.0/TCP sip{i}.example.com;branch=z9hG4bK{longToken[..50]}{i}\n"));
        var request = ParseValid(SipText.Wire($"""
            INVITE sip:user@example.com SIP/2.0
            To: "I have a user name of {longToken} proportion" <sip:user@example.com:6000;unknownparam1=very{longToken}long>
            From: sip:{longToken}@example.net;tag={longToken}
            Call-ID: longreq.one{longToken}really
            CSeq: 3882340 INVITE
            Unknown-{longToken}-Header: unknown-{longToken}-value; unknown-{longToken}-parameter-name = unknown-{longToken}-parameter-value
            {vias}Max-Forwards: 70
            Contact: <sip:amazinglylongcallername{longToken}@host5.example.net>
            Content-Length: 0


            """));
        Assert.Equal(20, request.Vias.Count);
        Assert.Equal(longToken, request.From!.Tag);
        Assert.Equal(6000, request.To!.Uri.Port);
    }

    [Fact]
    public void Dblreq_extra_octets_after_content_length_in_a_datagram_are_discarded()
    {
        var bytes = SipText.Wire("""
            REGISTER sip:example.com SIP/2.0
            To: sip:j.user@example.com
            From: sip:j.user@example.com;tag=43251j3j324
            Max-Forwards: 8
            I: dblreq.0ha0isndaksdj99sdfafnl3lk233412
            Contact: sip:j.user@host.example.com
            CSeq: 8 REGISTER
            Via: SIP/2.0/UDP 192.0.2.125;branch=z9hG4bKkdjuw23492
            Content-Length: 0

            INVITE sip:joe@example.com SIP/2.0
            t: sip:joe@example.com
            From: sip:caller@example.net;tag=141334
            Max-Forwards: 8
            Call-ID: dblreq.0ha0isnda977644900765@192.0.2.15
            CSeq: 8 INVITE
            Via: SIP/2.0/UDP 192.0.2.15;branch=z9hG4bKkdjuw380234
            Content-Type: application/sdp
            Content-Length: 150


            """ + Sdp150);
        var request = Assert.IsType<SipRequest>(ParseValid(bytes));
        Assert.Equal("REGISTER", request.Method);
        Assert.Equal(0, request.Body.Length);
    }

    [Fact]
    public void Semiuri_semicolon_separated_parameters_in_the_user_part()
    {
        var request = Assert.IsType<SipRequest>(ParseValid(SipText.Wire("""
            OPTIONS sip:user;par=u%40example.net@example.com SIP/2.0
            To: sip:j_user@example.com
            From: sip:caller@example.org;tag=33242
            Max-Forwards: 3
            Call-ID: semiuri.0ha0isndaksdj
            CSeq: 8 OPTIONS
            Accept: application/sdp, application/pkcs7-mime,
                    multipart/mixed, multipart/signed,
                    message/sip, message/sipfrag
            Via: SIP/2.0/UDP 192.0.2.1;branch=z9hG4bKkdjuw
            l: 0


            """)));
        Assert.Equal("user;par=u%40example.net", request.RequestUri.User);
        Assert.Equal("example.com", request.RequestUri.Host);
        Assert.Equal(6, request.Headers.GetValues("Accept").Count);
    }

    [Fact]
    public void Transports_unusual_transports_in_via_parse()
    {
        var request = ParseValid(SipText.Wire("""
            OPTIONS sip:user@example.com SIP/2.0
            To: sip:user@example.com
            From: <sip:caller@example.com>;tag=323
            Max-Forwards: 70
            Call-ID:  transports.kijh4akdnaqjkwendsasfdj
            Accept: application/sdp
            CSeq: 60 OPTIONS
            Via: SIP/2.0/UDP t1.example.com;branch=z9hG4bKkdjuw
            Via: SIP/2.0/SCTP t2.example.com;branch=z9hG4bKklasjdhf
            Via: SIP/2.0/TLS t3.example.com;branch=z9hG4bK2980unddj
            Via: SIP/2.0/UNKNOWN t4.example.com;branch=z9hG4bKasd0f3en
            Via: SIP/2.0/TCP t5.example.com;branch=z9hG4bK0a9idfnee
            l: 0


            """));
        Assert.Equal(["UDP", "SCTP", "TLS", "UNKNOWN", "TCP"], request.Vias.Select(v => v.Transport));
    }

    [Fact]
    public void Unreason_utf8_reason_phrase_in_a_response()
    {
        var bytes = SipText.WithBody("""
            SIP/2.0 200 = 2**3 * 5**2 но сто девяносто девять - простое
            Via: SIP/2.0/UDP 192.0.2.198;branch=z9hG4bK1324923
            Call-ID: unreason.1234ksdfak3j2erwedfsASdf
            CSeq: 35 INVITE
            From: sip:user@example.com;tag=11141343
            To: sip:user@example.edu;tag=2229
            Content-Length: {LEN}
            Content-Type: application/sdp
            Contact: <sip:user@host198.example.com>


            """, Sdp150);
        var response = Assert.IsType<SipResponse>(ParseValid(bytes));
        Assert.Equal(200, response.StatusCode);
        Assert.Equal("= 2**3 * 5**2 но сто девяносто девять - простое", response.ReasonPhrase);
    }

    [Fact]
    public void Noreason_empty_reason_phrase()
    {
        var response = Assert.IsType<SipResponse>(ParseValid(SipText.Wire("""
            SIP/2.0 100 
            Via: SIP/2.0/UDP 192.0.2.105;branch=z9hG4bK2398ndaoe
            Call-ID: noreason.asndj203insdf99223ndf
            CSeq: 35 INVITE
            From: <sip:user@example.com>;tag=39ansfi3
            To: <sip:user@example.edu>;tag=902jndnke3
            Content-Length: 0
            Contact: <sip:user@host105.example.com>


            """)));
        Assert.Equal(100, response.StatusCode);
        Assert.Equal(string.Empty, response.ReasonPhrase);
    }

    [Fact]
    public void Missing_content_length_on_a_datagram_takes_the_rest_as_body()
    {
        var bytes = Encoding.UTF8.GetBytes("MESSAGE sip:a@example.com SIP/2.0\r\nVia: SIP/2.0/UDP h;branch=z9hG4bK1\r\nFrom: <sip:b@example.com>;tag=1\r\nTo: <sip:a@example.com>\r\nCall-ID: x\r\nCSeq: 1 MESSAGE\r\n\r\nhello");
        var message = ParseValid(bytes);
        Assert.Equal("hello", Encoding.UTF8.GetString(message.Body.Span));
    }
}
