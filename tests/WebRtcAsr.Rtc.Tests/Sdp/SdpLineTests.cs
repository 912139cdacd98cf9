using WebRtcAsr.Rtc.Sdp;

namespace WebRtcAsr.Rtc.Tests.Sdp;

public class SdpLineTests
{
    [Theory]
    [InlineData("candidate:1467250027 1 tcp 1518280447 192.168.1.23 9 typ host tcptype active generation 0 network-id 1 network-cost 10")]
    [InlineData("candidate:842163049 1 udp 1677729535 203.0.113.45 51234 typ srflx raddr 0.0.0.0 rport 0 generation 0")]
    [InlineData("candidate:d0bcf3d9c29a2bc887618212a1623bfa 1 udp 2130706431 fd00::2 52563 typ host")]
    [InlineData("candidate:3 1 UDP 92217087 198.51.100.9 62010 typ relay raddr 203.0.113.4 rport 50123")]
    public void Candidate_lines_round_trip(string value)
    {
        Assert.True(SdpCandidate.TryParse(value, out var candidate));
        string expected = value.Replace(" UDP ", " udp ", StringComparison.Ordinal);
        Assert.Equal(expected, candidate!.ToValue());
    }

    [Fact]
    public void Candidate_fields_are_read()
    {
        Assert.True(SdpCandidate.TryParse("candidate:1467250027 1 tcp 1518280447 192.168.1.23 9 typ host tcptype active generation 0", out var c));
        Assert.Equal("1467250027", c!.Foundation);
        Assert.Equal(1, c.Component);
        Assert.Equal("tcp", c.Transport);
        Assert.Equal(1518280447u, c.Priority);
        Assert.Equal("192.168.1.23", c.Address);
        Assert.Equal(9, c.Port);
        Assert.Equal("host", c.Type);
        Assert.Equal([new("tcptype", "active"), new KeyValuePair<string, string>("generation", "0")], c.Extensions!);
    }

    [Theory]
    [InlineData("candidate:1 1 udp 100 1.2.3.4 5 host")]           // no "typ"
    [InlineData("candidate:1 0 udp 100 1.2.3.4 5 typ host")]       // component 0
    [InlineData("candidate:1 1 udp -1 1.2.3.4 5 typ host")]        // negative priority
    [InlineData("candidate:1 1 udp 100 1.2.3.4 70000 typ host")]   // port out of range
    [InlineData("candidate:1 1 udp")]
    public void Malformed_candidates_are_refused(string value)
    {
        Assert.False(SdpCandidate.TryParse(value, out _));
    }

    [Fact]
    public void Host_priority_follows_rfc_8445_formula()
    {
        Assert.Equal(2130706431u, SdpCandidate.ComputePriority(126, 65535, 1));
        Assert.Equal(2130706430u, SdpCandidate.ComputePriority(126, 65535, 2));
    }

    [Theory]
    [InlineData("1 urn:ietf:params:rtp-hdrext:ssrc-audio-level", 1, null)]
    [InlineData("2/recvonly urn:ietf:params:rtp-hdrext:csrc-audio-level", 2, SdpDirection.RecvOnly)]
    [InlineData("3/sendonly urn:ietf:params:rtp-hdrext:ssrc-audio-level vad=on", 3, SdpDirection.SendOnly)]
    public void Extmap_lines_round_trip(string value, int id, SdpDirection? direction)
    {
        Assert.True(SdpExtMap.TryParse(value, out var extMap));
        Assert.Equal(id, extMap!.Id);
        Assert.Equal(direction, extMap.Direction);
        Assert.Equal(value, extMap.ToValue());
    }

    [Theory]
    [InlineData("0 urn:x")]
    [InlineData("256 urn:x")]
    [InlineData("1/sideways urn:x")]
    [InlineData("1")]
    public void Malformed_extmaps_are_refused(string value)
    {
        Assert.False(SdpExtMap.TryParse(value, out _));
    }

    [Theory]
    [InlineData("111 opus/48000/2", 111, "opus", 48000, 2)]
    [InlineData("0 PCMU/8000", 0, "PCMU", 8000, 1)]
    [InlineData("101 telephone-event/8000/1", 101, "telephone-event", 8000, 1)]
    public void Rtpmap_lines_parse(string value, int pt, string name, int clock, int channels)
    {
        Assert.True(SdpRtpMap.TryParse(value, out var map));
        Assert.Equal(new SdpRtpMap(pt, name, clock, channels), map);
    }

    [Theory]
    [InlineData("128 opus/48000/2")]
    [InlineData("x opus/48000")]
    [InlineData("111 opus")]
    [InlineData("111 opus/fast")]
    public void Malformed_rtpmaps_are_refused(string value)
    {
        Assert.False(SdpRtpMap.TryParse(value, out _));
    }
}
