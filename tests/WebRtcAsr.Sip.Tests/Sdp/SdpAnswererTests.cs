using System.Net;
using System.Text;
using WebRtcAsr.Sip.Sdp;

namespace WebRtcAsr.Sip.Tests.Sdp;

public class SdpAnswererTests
{
    private static readonly SdpAnswerOptions Options = new() { MediaAddress = IPAddress.Parse("203.0.113.5"), LocalPort = 40000, SessionId = 77, SessionVersion = 3 };

    private static SdpSession Parse(string sdp)
    {
        Assert.True(SdpParser.TryParse(Encoding.UTF8.GetBytes(sdp.ReplaceLineEndings("\r\n")), out var session, out var error), error);
        return session;
    }

    private static (string Answer, SipMediaSession Media) Answer(string offer, SdpAnswerOptions? options = null)
    {
        Assert.True(SdpAnswerer.TryAnswer(Parse(offer), options ?? Options, out var answer, out var media, out var reason), reason);
        return (answer, media);
    }

    private const string TrunkOffer = """
        v=0
        o=- 1234 5678 IN IP4 198.51.100.7
        s=-
        c=IN IP4 198.51.100.7
        t=0 0
        m=audio 30000 RTP/AVP 8 0 18 101
        a=rtpmap:8 PCMA/8000
        a=rtpmap:0 PCMU/8000
        a=rtpmap:18 G729/8000
        a=rtpmap:101 telephone-event/8000
        a=fmtp:101 0-15
        a=ptime:20
        a=sendrecv
        """;

    [Fact]
    public void Answer_keeps_the_callers_g711_order_and_telephone_event_payload_type()
    {
        var (answer, media) = Answer(TrunkOffer);
        Assert.Equal([8, 0], media.Codecs.Select(c => c.PayloadType));
        Assert.Equal("PCMA", media.Primary.Encoding);
        Assert.Equal(101, media.TelephoneEvent!.PayloadType);
        Assert.Equal(new IPEndPoint(IPAddress.Parse("198.51.100.7"), 30000), media.RemoteRtp);
        Assert.Equal(new IPEndPoint(IPAddress.Parse("198.51.100.7"), 30001), media.RemoteRtcp);
        Assert.False(media.OnHold);
        Assert.Equal("""
            v=0
            o=WebRtcAsr 77 3 IN IP4 203.0.113.5
            s=WebRtcAsr
            c=IN IP4 203.0.113.5
            t=0 0
            m=audio 40000 RTP/AVP 8 0 101
            a=rtpmap:8 PCMA/8000
            a=rtpmap:0 PCMU/8000
            a=rtpmap:101 telephone-event/8000
            a=fmtp:101 0-15
            a=ptime:20
            a=rtcp:40001
            a=recvonly

            """.ReplaceLineEndings("\r\n"), answer);
        Assert.Same(media.TelephoneEvent, media.ForPayloadType(101));
        Assert.Null(media.ForPayloadType(18));
    }

    [Fact]
    public void Dynamic_payload_types_and_opus_preference_are_honoured()
    {
        const string offer = """
            v=0
            o=- 1 1 IN IP4 192.0.2.1
            s=-
            t=0 0
            m=audio 5004 RTP/AVP 0 111 96
            c=IN IP4 192.0.2.1
            a=rtpmap:111 opus/48000/2
            a=fmtp:111 useinbandfec=1
            a=rtpmap:96 telephone-event/48000
            """;
        var (_, g711) = Answer(offer);
        Assert.Equal("PCMU", g711.Primary.Encoding);
        Assert.Null(g711.TelephoneEvent);

        var (answer, opus) = Answer(offer, Options with { PreferOpus = true });
        Assert.Equal(111, opus.Primary.PayloadType);
        Assert.Single(opus.Codecs);
        Assert.Equal(96, opus.TelephoneEvent!.PayloadType);
        Assert.Contains("a=rtpmap:111 opus/48000/2\r\na=fmtp:111 useinbandfec=1\r\n", answer, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("a=sendonly", "c=IN IP4 192.0.2.1", true, "a=recvonly")]
    [InlineData("a=inactive", "c=IN IP4 192.0.2.1", true, "a=inactive")]
    [InlineData("a=sendrecv", "c=IN IP4 0.0.0.0", true, "a=recvonly")]
    [InlineData("a=recvonly", "c=IN IP4 192.0.2.1", false, "a=inactive")]
    [InlineData("", "c=IN IP4 192.0.2.1", false, "a=recvonly")]
    public void Hold_is_detected_and_the_answer_direction_fits(string direction, string connection, bool onHold, string answered)
    {
        var (answer, media) = Answer($"""
            v=0
            o=- 1 2 IN IP4 192.0.2.1
            s=-
            {connection}
            t=0 0
            m=audio 5004 RTP/AVP 0
            {direction}
            """);
        Assert.Equal(onHold, media.OnHold);
        Assert.Contains(answered + "\r\n", answer, StringComparison.Ordinal);
    }

    [Fact]
    public void Other_streams_are_rejected_with_port_zero_in_place()
    {
        var (answer, _) = Answer("""
            v=0
            o=- 1 1 IN IP4 192.0.2.1
            s=-
            c=IN IP4 192.0.2.1
            t=0 0
            m=video 5006 RTP/AVP 31
            m=audio 5004 RTP/AVP 0
            """);
        var video = answer.IndexOf("m=video 0 RTP/AVP 31\r\n", StringComparison.Ordinal);
        Assert.True(video >= 0 && video < answer.IndexOf("m=audio 40000", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("m=audio 5004 RTP/AVP 18\r\na=rtpmap:18 G729/8000")]
    [InlineData("m=audio 5004 RTP/SAVP 0")]
    [InlineData("m=audio 0 RTP/AVP 0")]
    public void Offers_without_an_acceptable_codec_fail_with_a_reason(string mline)
    {
        var offer = Parse("v=0\r\no=- 1 1 IN IP4 192.0.2.1\r\ns=-\r\nc=IN IP4 192.0.2.1\r\nt=0 0\r\n" + mline + "\r\n");
        Assert.False(SdpAnswerer.TryAnswer(offer, Options, out _, out _, out var reason));
        Assert.NotNull(reason);
    }

    [Theory]
    [InlineData("o=- 1 1 IN IP4 192.0.2.1\r\n")]
    [InlineData("v=0\r\no=- x 1 IN IP4 192.0.2.1\r\n")]
    [InlineData("v=0\r\no=- 1 1 IN IP4 192.0.2.1\r\nc=IN IP4 not-an-ip\r\n")]
    [InlineData("v=0\r\no=- 1 1 IN IP4 192.0.2.1\r\nm=audio 99999 RTP/AVP 0\r\n")]
    [InlineData("v=0\r\no=- 1 1 IN IP4 192.0.2.1\r\nbogus\r\n")]
    public void Malformed_sdp_is_rejected(string sdp)
    {
        Assert.False(SdpParser.TryParse(Encoding.UTF8.GetBytes(sdp), out _, out var error));
        Assert.NotNull(error);
    }

    [Fact]
    public void Port_pool_hands_out_even_ports_round_robin_and_is_bounded()
    {
        var pool = new MediaPortPool(10001, 10007);
        Assert.Equal(3, pool.Capacity);
        Assert.True(pool.TryRent(out var a));
        Assert.True(pool.TryRent(out var b));
        Assert.Equal((10002, 10004), (a, b));
        pool.Return(a);
        Assert.True(pool.TryRent(out var c));
        Assert.Equal(10006, c);
        Assert.True(pool.TryRent(out var d));
        Assert.Equal(10002, d);
        Assert.False(pool.TryRent(out _));
        Assert.Equal(3, pool.InUse);
    }
}
