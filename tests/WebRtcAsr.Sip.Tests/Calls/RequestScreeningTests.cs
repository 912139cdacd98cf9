using System.Net;
using System.Text;
using WebRtcAsr.Sip.Messages;
using WebRtcAsr.Sip.Security;

namespace WebRtcAsr.Sip.Tests.Calls;

/// <summary>What the UAS refuses and how: 4xx/5xx per RFC 3261 §8.2 and RFC 4475 §3.3, limits, allowlist, digest.</summary>
public class RequestScreeningTests
{
    [Fact]
    public void Unsupported_method_is_405_with_allow()
    {
        var harness = new ServerHarness();
        var response = ServerHarness.Single(harness.Send(new TrunkCall("s").Request("SUBSCRIBE", "z9hG4bK-s", 1, "Event: presence\n", string.Empty)), 405);
        Assert.Equal("INVITE, ACK, CANCEL, BYE, OPTIONS", response.Headers.Get("Allow"));
    }

    [Fact]
    public void Invut_non_sdp_body_is_415_with_accept()
    {
        var harness = new ServerHarness();
        var response = ServerHarness.Single(harness.Send(new TrunkCall("u").Invite("<body/>", contentType: "application/unknownformat")), 415);
        Assert.Equal("application/sdp", response.Headers.Get("Accept"));
        Assert.Equal(0, harness.Server.ActiveCalls);
    }

    [Fact]
    public void Offer_without_a_common_codec_is_488_and_releases_the_port()
    {
        var harness = new ServerHarness(ServerHarness.Options() with { MediaPortFirst = 40000, MediaPortLast = 40001 });
        var g729 = TrunkCall.Offer.Replace("m=audio 30000 RTP/AVP 8 0 101", "m=audio 30000 RTP/AVP 18", StringComparison.Ordinal);
        var response = ServerHarness.Single(harness.Send(new TrunkCall("g").Invite(g729)), 488);
        Assert.StartsWith("305 ", response.Headers.Get("Warning"), StringComparison.Ordinal);
        harness.Send(new TrunkCall("ok").Invite());
        Assert.Equal(40000, Assert.IsType<WebRtcAsr.Sip.Calls.CallOffered>(harness.Events[^1]).LocalRtpPort);
    }

    [Fact]
    public void Bad_sdp_is_400()
    {
        var harness = new ServerHarness();
        ServerHarness.Single(harness.Send(new TrunkCall("b").Invite("garbage\n")), 400);
    }

    [Fact]
    public void Call_limit_gives_486_busy_here()
    {
        var harness = new ServerHarness(ServerHarness.Options() with { MaxCalls = 1 });
        harness.Send(new TrunkCall("one").Invite());
        ServerHarness.Single(harness.Send(new TrunkCall("two").Invite()), 486);
        Assert.Equal(1, harness.Server.Counters.Busy);
    }

    [Fact]
    public void Exhausted_media_ports_give_503_with_retry_after()
    {
        var harness = new ServerHarness(ServerHarness.Options() with { MediaPortFirst = 40000, MediaPortLast = 40001 });
        harness.Send(new TrunkCall("one").Invite());
        var response = ServerHarness.Single(harness.Send(new TrunkCall("two").Invite()), 503);
        Assert.NotNull(response.Headers.Get("Retry-After"));
    }

    [Fact]
    public void Full_transaction_table_gives_503()
    {
        var harness = new ServerHarness(ServerHarness.Options() with { MaxTransactions = 2 });
        harness.Send(new TrunkCall("a").Request("OPTIONS", "z9hG4bK-1", 1, string.Empty, string.Empty));
        harness.Send(new TrunkCall("b").Request("OPTIONS", "z9hG4bK-2", 1, string.Empty, string.Empty));
        ServerHarness.Single(harness.Send(new TrunkCall("c").Request("OPTIONS", "z9hG4bK-3", 1, string.Empty, string.Empty)), 503);
        Assert.Equal(1, harness.Server.Counters.Overloaded);
    }

    [Fact]
    public void Unkscm_unknown_request_uri_scheme_is_416()
    {
        var harness = new ServerHarness();
        ServerHarness.Single(harness.Send("""
            OPTIONS nobodyKnowsThisScheme:totallyopaquecontent SIP/2.0
            To: sip:user@example.com
            From: sip:caller@example.net;tag=384
            Max-Forwards: 3
            Call-ID: unkscm.nasdfasser0q239nwsdfasdkl34
            CSeq: 3923423 OPTIONS
            Via: SIP/2.0/TCP host9.example.com;branch=z9hG4bKkdjuw39234
            Content-Length: 0


            """), 416);
    }

    [Fact]
    public void Sips_request_uri_is_416_since_there_is_no_tls()
    {
        var harness = new ServerHarness();
        var invite = new TrunkCall("sips").Invite().Replace("INVITE sip:100@192.0.2.1:5060", "INVITE sips:100@192.0.2.1:5061", StringComparison.Ordinal);
        ServerHarness.Single(harness.Send(invite), 416);
    }

    [Fact]
    public void Bext01_unknown_required_extension_is_420_with_unsupported()
    {
        var harness = new ServerHarness();
        var response = ServerHarness.Single(harness.Send("""
            OPTIONS sip:user@example.com SIP/2.0
            To: sip:j_user@example.com
            From: sip:caller@example.net;tag=242etr
            Max-Forwards: 6
            Call-ID: bext01.0ha0isndaksdj
            Require: nothingSupportsThis, nothingSupportsThisEither
            Proxy-Require: noProxiesSupportThis
            CSeq: 8 OPTIONS
            Via: SIP/2.0/UDP host1.example.com;branch=z9hG4bKkdjuw
            Content-Length: 0


            """), 420);
        Assert.Equal("nothingSupportsThis, nothingSupportsThisEither", response.Headers.Get("Unsupported"));
    }

    [Fact]
    public void Zeromf_max_forwards_zero_is_processed_by_a_uas()
    {
        var harness = new ServerHarness();
        ServerHarness.Single(harness.Send("""
            OPTIONS sip:user@example.com SIP/2.0
            To: sip:user@example.com
            From: sip:caller@example.net;tag=3ghsd41
            Call-ID: zeromf.jfasdlfnm2o2l43r5u0asdfas
            CSeq: 39234321 OPTIONS
            Via: SIP/2.0/UDP host1.example.com;branch=z9hG4bKkdjuw2349i
            Max-Forwards: 0
            Content-Length: 0


            """), 200);
    }

    [Fact]
    public void Malformed_request_with_usable_headers_gets_400_with_a_warning_saying_why()
    {
        var harness = new ServerHarness();
        var response = ServerHarness.Single(harness.Send("""
            OPTIONS sip:user@example.com SIP/2.0
            To: sip:j.user@example.com
            From: sip:caller@example.net;tag=34525
            Max-Forwards: 6
            Call-ID: mismatch01.dj0234sxdfl3
            CSeq: 8 INVITE
            Via: SIP/2.0/UDP host.example.com;branch=z9hG4bKkdjuw
            l: 0


            """), 400);
        Assert.Contains("CSeq method", response.Headers.Get("Warning"), StringComparison.Ordinal);
        Assert.Equal("mismatch01.dj0234sxdfl3", response.Headers.Get("Call-ID"));
        Assert.Equal(1, harness.Server.Counters.BadRequestsAnswered);
    }

    [Fact]
    public void Badvers_is_505()
    {
        var harness = new ServerHarness();
        ServerHarness.Single(harness.Send("""
            OPTIONS sip:t.watson@example.org SIP/7.0
            Via:     SIP/2.0/UDP c.example.com:5060;branch=z9hG4bKkdjuw
            Max-Forwards:     70
            From:    A. Bell <sip:a.g.bell@example.com>;tag=qweoiqpe
            To:      T. Watson <sip:t.watson@example.org>
            Call-ID: badvers.31417@c.example.com
            CSeq:    1 OPTIONS
            l: 0


            """), 505);
    }

    [Fact]
    public void Garbage_and_malformed_acks_and_responses_are_dropped_and_counted()
    {
        var harness = new ServerHarness();
        Assert.Empty(harness.Send(Encoding.ASCII.GetBytes("hello world\r\n\r\n")));
        Assert.Empty(harness.Send(new TrunkCall("x").Request("ACK", "z9hG4bK-a", 1, "Max-Forwards: 999\n", string.Empty)));
        Assert.Empty(harness.Send("SIP/2.0 200 OK\nVia: nonsense\n\n"));
        Assert.Equal(3, harness.Server.Counters.InvalidDropped);
        Assert.Equal(3, harness.Server.Counters.ParseErrors);
    }

    [Fact]
    public void Sources_outside_the_allowlist_get_403()
    {
        var harness = new ServerHarness(ServerHarness.Options() with { AllowedSources = ["198.51.100.0/24"] });
        Assert.Equal(100, ((SipResponse)harness.Send(new TrunkCall("in").Invite())[0].Message).StatusCode);
        var outsider = new IPEndPoint(IPAddress.Parse("203.0.113.9"), 5060);
        ServerHarness.Single(harness.Send(new TrunkCall("out").Invite(), outsider), 403);
        Assert.Equal(1, harness.Server.Counters.Forbidden);
    }

    [Fact]
    public void Request_flood_from_one_source_is_dropped_beyond_its_bucket()
    {
        var harness = new ServerHarness(ServerHarness.Options() with { RequestsPerSecondPerSource = 1, RequestBurstPerSource = 3 });
        var answered = 0;
        for (var i = 0; i < 10; i++)
        {
            answered += harness.Send(new TrunkCall("f" + i).Request("OPTIONS", "z9hG4bK-f" + i, 1, string.Empty, string.Empty)).Count;
        }

        Assert.Equal(3, answered);
        Assert.Equal(7, harness.Server.Counters.RateLimited);
        Assert.Single(harness.Send(new TrunkCall("other").Request("OPTIONS", "z9hG4bK-o", 1, string.Empty, string.Empty), new IPEndPoint(IPAddress.Parse("198.51.100.8"), 5060)));
    }

    [Fact]
    public void Digest_protected_trunk_challenges_then_accepts_and_refuses_a_wrong_password()
    {
        var auth = new DigestAuthOptions
        {
            Realm = "asr.example.com",
            Passwords = new Dictionary<string, string> { ["trunk"] = "pw" },
            NonceKey = new byte[32],
        };
        var harness = new ServerHarness(ServerHarness.Options() with { Authentication = auth });
        var call = new TrunkCall("auth");
        var challenge = ServerHarness.Single(harness.Send(call.Invite()), 401);
        var challenges = challenge.Headers.GetValues("WWW-Authenticate");
        Assert.Equal(2, challenges.Count);
        Assert.Contains("algorithm=SHA-256", challenges[0], StringComparison.Ordinal);
        harness.Send(call.AckNon2xx());

        var nonce = challenges[0].Split("nonce=\"")[1].Split('"')[0];
        string Authorization(string password, string nc)
        {
            var response = DigestComputation.Response(DigestAlgorithm.Sha256, false, "trunk", "asr.example.com", password, "INVITE", "sip:100@192.0.2.1:5060", nonce, nc, "c1", "auth");
            return $"Authorization: Digest username=\"trunk\", realm=\"asr.example.com\", nonce=\"{nonce}\", uri=\"sip:100@192.0.2.1:5060\", response=\"{response}\", algorithm=SHA-256, qop=auth, nc={nc}, cnonce=\"c1\"\n";
        }

        call.CSeq++;
        ServerHarness.Single(harness.Send(call.Invite(extraHeaders: Authorization("wrong", "00000001"), branch: "z9hG4bK-auth-2")), 403);
        call.CSeq++;
        var accepted = harness.Send(call.Invite(extraHeaders: Authorization("pw", "00000002"), branch: "z9hG4bK-auth-3"));
        Assert.Equal(200, ((SipResponse)accepted[^1].Message).StatusCode);
    }
}
