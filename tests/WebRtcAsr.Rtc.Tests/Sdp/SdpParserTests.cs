using WebRtcAsr.Rtc.Sdp;

namespace WebRtcAsr.Rtc.Tests.Sdp;

public class SdpParserTests
{
    [Fact]
    public void Chromium_offer_parses_into_the_model()
    {
        Assert.True(SdpParser.TryParse(SdpOffers.Chromium, out var sdp, out var error), error);
        Assert.Equal(["0", "1"], sdp!.BundleGroup);
        Assert.True(sdp.HasAttribute("extmap-allow-mixed"));
        Assert.Equal(2, sdp.Media.Count);

        var audio = sdp.Media[0];
        Assert.Equal("audio", audio.Media);
        Assert.Equal("UDP/TLS/RTP/SAVPF", audio.Protocol);
        Assert.Equal("0", audio.Mid);
        Assert.Equal(SdpDirection.SendRecv, audio.Direction);
        Assert.True(audio.HasAttribute("rtcp-mux"));
        Assert.Equal("Zx3B", audio.GetAttribute("ice-ufrag"));
        Assert.Equal("qK4mGv8sT2yHw9nR6pLc1dFe", audio.GetAttribute("ice-pwd"));
        Assert.Equal("actpass", audio.GetAttribute("setup"));
        Assert.Equal("minptime=10;useinbandfec=1", audio.GetFmtp(111));
        Assert.Equal(new[] { 111, 63, 9, 0, 8, 13, 110, 126 }, audio.RtpMaps.Select(m => m.PayloadType));
        Assert.Equal(new SdpRtpMap(111, "opus", 48000, 2), audio.RtpMaps[0]);
        Assert.Equal(4, audio.ExtMaps.Count);
        Assert.Equal(new SdpExtMap(1, null, SdpExtMap.AudioLevelUri), audio.ExtMaps[0]);
        Assert.Equal([1853247094u], audio.Ssrcs);

        var fingerprint = Assert.Single(audio.Fingerprints);
        Assert.Equal("sha-256", fingerprint.Algorithm);
        Assert.Equal(32, fingerprint.Value.Length);

        Assert.Equal(2, audio.Candidates.Count);
        Assert.EndsWith(".local", audio.Candidates[0].Address, StringComparison.Ordinal);
        Assert.Equal("srflx", audio.Candidates[1].Type);
        Assert.Equal("0.0.0.0", audio.Candidates[1].RelatedAddress);
        Assert.Equal(0, audio.Candidates[1].RelatedPort);

        var data = sdp.Media[1];
        Assert.True(data.IsDataChannel);
        Assert.Equal(5000, data.SctpPort);
        Assert.Equal(262144, data.MaxMessageSize);
    }

    [Fact]
    public void Firefox_offer_keeps_session_level_fingerprint_and_extmap_direction()
    {
        Assert.True(SdpParser.TryParse(SdpOffers.Firefox, out var sdp, out var error), error);
        var audio = sdp!.Media[0];
        Assert.Empty(audio.Fingerprints);
        Assert.Single(sdp.GetFingerprints(audio));
        Assert.Equal(new SdpExtMap(2, SdpDirection.RecvOnly, "urn:ietf:params:rtp-hdrext:csrc-audio-level"), audio.ExtMaps[1]);
        Assert.Equal(new SdpRtpMap(9, "G722", 8000, 1), audio.RtpMaps[1]);
        Assert.Equal(1073741823, sdp.Media[1].MaxMessageSize);
    }

    [Fact]
    public void Aiortc_offer_with_per_section_credentials_and_legacy_sctp_parses()
    {
        Assert.True(SdpParser.TryParse(SdpOffers.Aiortc, out var sdp, out var error), error);
        var audio = sdp!.Media[0];
        Assert.Equal(56586, audio.Port);
        Assert.Equal("IN IP4 192.0.2.2", audio.Connection);
        Assert.True(audio.HasAttribute("end-of-candidates"));
        Assert.Equal("fd00::2", audio.Candidates[1].Address);
        Assert.Equal("sha-256", Assert.Single(audio.Fingerprints).Algorithm);
        var data = sdp.Media[1];
        Assert.Equal("DTLS/SCTP", data.Protocol);
        Assert.True(data.IsDataChannel);
        Assert.Equal(5000, data.SctpPort);
        Assert.Equal(65536, data.MaxMessageSize);
        // aiortc 1.4 gives each m-section its own ICE transport until BUNDLE is accepted.
        Assert.NotEqual(audio.GetAttribute("ice-ufrag"), data.GetAttribute("ice-ufrag"));
    }

    [Fact]
    public void Bare_line_feeds_parse_like_crlf()
    {
        string lf = SdpOffers.Chromium.Replace("\r\n", "\n", StringComparison.Ordinal);
        Assert.True(SdpParser.TryParse(lf, out var sdp, out var error), error);
        Assert.True(SdpParser.TryParse(SdpOffers.Chromium, out var crlf, out _));
        Assert.Equal(SdpWriter.Write(crlf!), SdpWriter.Write(sdp!));
    }

    [Fact]
    public void Ssrc_groups_and_msid_are_read()
    {
        string offer = SdpOffers.Chromium.Replace("a=ssrc:1853247094 cname:0b3PqRkA9m2Tz7Hc\r\n",
            "a=ssrc-group:FID 1853247094 99\r\na=ssrc:1853247094 cname:0b3PqRkA9m2Tz7Hc\r\na=ssrc:99 cname:0b3PqRkA9m2Tz7Hc\r\n", StringComparison.Ordinal);
        Assert.True(SdpParser.TryParse(offer, out var sdp, out _));
        var audio = sdp!.Media[0];
        var group = Assert.Single(audio.SsrcGroups);
        Assert.Equal("FID", group.Semantics);
        Assert.Equal([1853247094u, 99u], group.Ssrcs);
        Assert.Equal([1853247094u, 99u], audio.Ssrcs);
        Assert.StartsWith("2f1a77c8", audio.GetAttribute("msid"), StringComparison.Ordinal);
    }

    [Fact]
    public void Fingerprints_of_other_algorithms_parse()
    {
        Assert.True(SdpFingerprint.TryParse("SHA-384 " + string.Join(':', Enumerable.Repeat("AB", 48)), out var f384));
        Assert.Equal("sha-384", f384!.Algorithm);
        Assert.Equal(48, f384.Value.Length);
        Assert.True(SdpFingerprint.TryParse("sha-1 " + string.Join(':', Enumerable.Repeat("0f", 20)), out var f1));
        Assert.Equal(20, f1!.Value.Length);
        Assert.False(SdpFingerprint.TryParse("sha-256 AB:CD", out _));
        Assert.False(SdpFingerprint.TryParse("sha-256 " + string.Join(':', Enumerable.Repeat("XY", 32)), out _));
    }

    [Fact]
    public void Written_sdp_parses_back_to_the_same_lines()
    {
        Assert.True(SdpParser.TryParse(SdpOffers.Chromium, out var sdp, out _));
        string written = SdpWriter.Write(sdp!);
        Assert.Equal(SdpOffers.Chromium, written);
    }

    [Theory]
    [InlineData("", "empty")]
    [InlineData("v=1\r\no=- 1 1 IN IP4 0.0.0.0\r\n", "v=0")]
    [InlineData("v=0\r\ns=-\r\n", "o=")]
    [InlineData("v=0\r\no=- 1 1 IN IP4 0.0.0.0\r\nthis is not sdp\r\n", "x=value")]
    [InlineData("v=0\r\no=- 1 1 IN IP4 0.0.0.0\r\nm=audio\r\n", "m= line")]
    [InlineData("v=0\r\no=- 1 1 IN IP4 0.0.0.0\r\nm=audio 99999 RTP/AVP 0\r\n", "port")]
    public void Malformed_sdp_gives_a_reason(string text, string reasonPart)
    {
        Assert.False(SdpParser.TryParse(text, out var sdp, out var error));
        Assert.Null(sdp);
        Assert.Contains(reasonPart, error, StringComparison.Ordinal);
    }

    [Fact]
    public void Limits_on_size_lines_and_media_sections_are_enforced()
    {
        string big = "v=0\r\no=- 1 1 IN IP4 0.0.0.0\r\n" + string.Concat(Enumerable.Repeat("a=x-padding:0123456789012345678901234567890123456789\r\n", 1400));
        Assert.True(big.Length > 64 * 1024);
        Assert.False(SdpParser.TryParse(big, out _, out var error));
        Assert.Contains("limit", error, StringComparison.Ordinal);

        string manyMedia = "v=0\r\no=- 1 1 IN IP4 0.0.0.0\r\n" + string.Concat(Enumerable.Repeat("m=audio 9 UDP/TLS/RTP/SAVPF 0\r\n", 33));
        Assert.False(SdpParser.TryParse(manyMedia, out _, out error));
        Assert.Contains("media sections", error, StringComparison.Ordinal);

        var tight = new SdpParserLimits { MaxLines = 10 };
        Assert.False(SdpParser.TryParse(SdpOffers.Chromium, tight, out _, out error));
        Assert.Contains("lines", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Random_mutations_of_real_offers_never_throw()
    {
        var random = new Random(42);
        string[] offers = [SdpOffers.Chromium, SdpOffers.Firefox, SdpOffers.Aiortc];
        var options = SdpNegotiatorTests.Options();
        for (int i = 0; i < 3000; i++)
        {
            char[] chars = offers[i % 3].ToCharArray();
            for (int k = 0; k < 5; k++)
            {
                chars[random.Next(chars.Length)] = (char)random.Next(32, 127);
            }

            string mutated = new(chars);
            _ = SdpParser.TryParse(mutated, out _, out _);
            _ = SdpNegotiator.Negotiate(mutated, options);
        }
    }
}
