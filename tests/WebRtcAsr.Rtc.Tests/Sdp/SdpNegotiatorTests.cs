using System.Net;
using WebRtcAsr.Rtc.Sdp;

namespace WebRtcAsr.Rtc.Tests.Sdp;

public class SdpNegotiatorTests
{
    private static readonly byte[] Certificate = [0x30, 0x82, 0x01, 0x0a, 0x02, 0x01, 0x01];

    internal static SdpAnswerOptions Options(bool dataChannel = true) => new()
    {
        IceUfrag = "srv1",
        IcePwd = "abcdefghijklmnopqrstuv",
        Fingerprint = SdpFingerprint.Sha256OfCertificate(Certificate),
        Candidates = [new IPEndPoint(IPAddress.Parse("198.51.100.7"), 3478), new IPEndPoint(IPAddress.Parse("10.0.0.5"), 3478)],
        SessionId = 123456789,
        AcceptDataChannel = dataChannel,
    };

    private static SdpSessionDescription ParseAnswer(SdpNegotiationResult result)
    {
        Assert.True(result.Success, result.Error);
        Assert.True(SdpParser.TryParse(result.Answer!, out var answer, out var error), error);
        return answer!;
    }

    [Fact]
    public void Chromium_offer_gets_an_ice_lite_passive_recvonly_opus_answer_with_data_channel()
    {
        var result = SdpNegotiator.Negotiate(SdpOffers.Chromium, Options());
        var answer = ParseAnswer(result);

        Assert.Equal("Zx3B", result.RemoteIceUfrag);
        Assert.Equal("qK4mGv8sT2yHw9nR6pLc1dFe", result.RemoteIcePwd);
        Assert.Equal("actpass", result.RemoteSetup);
        Assert.Equal("0", result.AudioMid);
        Assert.Equal("1", result.DataChannelMid);
        Assert.Equal(5000, result.RemoteSctpPort);
        Assert.Equal(1, result.AudioLevelExtensionId);
        Assert.Equal(["0", "1"], result.BundleMids);
        Assert.Equal([111, 0, 8], result.AudioCodecs.Select(c => c.PayloadType));
        Assert.Equal([1853247094u], result.RemoteAudioSsrcs);

        Assert.True(answer.HasAttribute("ice-lite"));
        Assert.Equal(["0", "1"], answer.BundleGroup);
        Assert.True(answer.HasAttribute("extmap-allow-mixed"));
        Assert.Contains("\r\n", result.Answer, StringComparison.Ordinal);

        var audio = answer.Media[0];
        Assert.Equal("m=audio 3478 UDP/TLS/RTP/SAVPF 111 0 8", result.Answer!.Split("\r\n").First(l => l.StartsWith("m=audio", StringComparison.Ordinal)));
        Assert.Equal(SdpDirection.RecvOnly, audio.Direction);
        Assert.Equal("passive", audio.GetAttribute("setup"));
        Assert.Equal("srv1", audio.GetAttribute("ice-ufrag"));
        Assert.Equal("abcdefghijklmnopqrstuv", audio.GetAttribute("ice-pwd"));
        Assert.Equal(Options().Fingerprint, Assert.Single(audio.Fingerprints));
        Assert.True(audio.HasAttribute("rtcp-mux"));
        Assert.Equal("0", audio.Mid);
        Assert.Equal("minptime=10;useinbandfec=1", audio.GetFmtp(111));
        Assert.Equal(new SdpRtpMap(111, "opus", 48000, 2), audio.RtpMaps[0]);
        Assert.Equal(new SdpExtMap(1, null, SdpExtMap.AudioLevelUri), Assert.Single(audio.ExtMaps));
        Assert.True(audio.HasAttribute("end-of-candidates"));

        Assert.Equal(2, audio.Candidates.Count);
        var first = audio.Candidates[0];
        Assert.Equal("198.51.100.7", first.Address);
        Assert.Equal(3478, first.Port);
        Assert.Equal("host", first.Type);
        Assert.Equal(1, first.Component);
        Assert.Equal("udp", first.Transport);
        Assert.Equal((126u << 24) + (65535u << 8) + 255u, first.Priority);
        Assert.True(audio.Candidates[1].Priority < first.Priority);
        Assert.NotEqual(first.Foundation, audio.Candidates[1].Foundation);

        var data = answer.Media[1];
        Assert.Equal("application", data.Media);
        Assert.Equal("UDP/DTLS/SCTP", data.Protocol);
        Assert.Equal(["webrtc-datachannel"], data.Formats);
        Assert.Equal(5000, data.SctpPort);
        Assert.Equal(262144, data.MaxMessageSize);
        Assert.Equal("passive", data.GetAttribute("setup"));
        Assert.Equal("1", data.Mid);
    }

    [Fact]
    public void Captured_chromium_156_offer_is_answered()
    {
        var result = SdpNegotiator.Negotiate(SdpOffers.Chromium156, Options());
        var answer = ParseAnswer(result);
        Assert.Equal("OwIy", result.RemoteIceUfrag);
        Assert.Equal("VYFXsRfI+kEmG4Si/ZXW2h0a", result.RemoteIcePwd);
        Assert.EndsWith(".local", Assert.Single(result.RemoteCandidates).Address, StringComparison.Ordinal);
        Assert.Equal([111, 0, 8], result.AudioCodecs.Select(c => c.PayloadType));
        Assert.Equal(1, result.AudioLevelExtensionId);
        Assert.Equal("1", result.DataChannelMid);
        Assert.Equal(["0", "1"], answer.BundleGroup);
        Assert.Equal(SdpDirection.RecvOnly, answer.Media[0].Direction);
    }

    [Fact]
    public void Firefox_offer_uses_the_session_level_fingerprint_and_keeps_payload_type_109()
    {
        var result = SdpNegotiator.Negotiate(SdpOffers.Firefox, Options());
        var answer = ParseAnswer(result);
        Assert.Equal("sha-256", Assert.Single(result.RemoteFingerprints).Algorithm);
        Assert.Equal("5e93ac01", result.RemoteIceUfrag);
        Assert.Equal([109, 0, 8], result.AudioCodecs.Select(c => c.PayloadType));
        Assert.Equal(1073741823, result.RemoteMaxMessageSize);
        Assert.Equal("minptime=10;useinbandfec=1", answer.Media[0].GetFmtp(109));
        Assert.Empty(result.RemoteCandidates);
    }

    [Fact]
    public void Aiortc_offer_gets_a_legacy_sctp_answer_with_the_bundle_tag_transport()
    {
        var result = SdpNegotiator.Negotiate(SdpOffers.Aiortc, Options());
        var answer = ParseAnswer(result);
        Assert.Equal("pSmR", result.RemoteIceUfrag); // mid 0 (audio) is the BUNDLE tag
        Assert.Single(result.RemoteFingerprints);
        Assert.Equal(2, result.RemoteCandidates.Count); // the tagged (audio) section's IPv4 and IPv6 host candidates
        Assert.Equal(2, result.AudioLevelExtensionId);
        Assert.Equal([96, 0, 8], result.AudioCodecs.Select(c => c.PayloadType));
        Assert.Equal(65536, result.RemoteMaxMessageSize);
        var data = answer.Media[1];
        Assert.Equal("DTLS/SCTP", data.Protocol);
        Assert.Equal(["5000"], data.Formats);
        Assert.Equal("5000 webrtc-datachannel 1024", data.GetAttribute("sctpmap"));
    }

    [Fact]
    public void Transport_parameters_come_from_the_first_accepted_mid_of_the_bundle_group()
    {
        // Data channel first in the BUNDLE group: its credentials are the transport's.
        string offer = SdpOffers.Aiortc.Replace("a=group:BUNDLE 0 1", "a=group:BUNDLE 1 0", StringComparison.Ordinal);
        var result = SdpNegotiator.Negotiate(offer, Options());
        var answer = ParseAnswer(result);
        Assert.Equal("O30q", result.RemoteIceUfrag);
        Assert.Equal(["1", "0"], answer.BundleGroup);
        Assert.Equal(["1", "0"], result.BundleMids);

        // Without the data channel the audio section is the tag again.
        result = SdpNegotiator.Negotiate(offer, Options(dataChannel: false));
        Assert.Equal("pSmR", result.RemoteIceUfrag);
    }

    [Fact]
    public void Video_is_rejected_with_port_zero_and_left_out_of_the_bundle()
    {
        string offer = SdpOffers.Chromium.Replace("a=group:BUNDLE 0 1", "a=group:BUNDLE 0 1 2", StringComparison.Ordinal)
            + "m=video 9 UDP/TLS/RTP/SAVPF 96 97\r\nc=IN IP4 0.0.0.0\r\na=mid:2\r\na=sendrecv\r\na=rtcp-mux\r\na=rtpmap:96 VP8/90000\r\na=rtpmap:97 rtx/90000\r\na=fmtp:97 apt=96\r\n";
        var result = SdpNegotiator.Negotiate(offer, Options());
        var answer = ParseAnswer(result);
        Assert.Equal(3, answer.Media.Count);
        var video = answer.Media[2];
        Assert.Equal("video", video.Media);
        Assert.Equal(0, video.Port);
        Assert.Equal("2", video.Mid);
        Assert.Equal(["0", "1"], answer.BundleGroup);
    }

    [Fact]
    public void Data_channel_is_rejected_when_not_wanted()
    {
        var result = SdpNegotiator.Negotiate(SdpOffers.Chromium, Options(dataChannel: false));
        var answer = ParseAnswer(result);
        Assert.Null(result.DataChannelMid);
        Assert.Equal(0, answer.Media[1].Port);
        Assert.Equal(["0"], answer.BundleGroup);
    }

    [Fact]
    public void G711_only_offer_is_answered_with_g711_and_the_offer_numbers()
    {
        string offer = SdpOffers.Chromium
            .Replace("m=audio 9 UDP/TLS/RTP/SAVPF 111 63 9 0 8 13 110 126", "m=audio 9 UDP/TLS/RTP/SAVPF 8 0 101", StringComparison.Ordinal)
            .Replace("a=rtpmap:126 telephone-event/8000", "a=rtpmap:101 telephone-event/8000", StringComparison.Ordinal);
        var result = SdpNegotiator.Negotiate(offer, Options());
        var answer = ParseAnswer(result);
        Assert.Equal([0, 8], result.AudioCodecs.Select(c => c.PayloadType));
        Assert.Equal(["0", "8"], answer.Media[0].Formats);
        Assert.Null(answer.Media[0].GetFmtp(0));
    }

    [Theory]
    [InlineData("m=audio 9 UDP/TLS/RTP/SAVPF 111 63 9 0 8 13 110 126", "m=video 9 UDP/TLS/RTP/SAVPF 111 63 9 0 8 13 110 126", "no audio")]
    [InlineData("a=ice-ufrag:Zx3B\r\n", "", "ice-ufrag")]
    [InlineData("a=ice-pwd:qK4mGv8sT2yHw9nR6pLc1dFe\r\n", "", "ice-pwd")]
    [InlineData("a=group:BUNDLE 0 1\r\n", "", "BUNDLE")]
    [InlineData("a=group:BUNDLE 0 1", "a=group:BUNDLE 1", "BUNDLE")]
    [InlineData("a=setup:actpass", "a=setup:passive", "setup")]
    [InlineData("a=sendrecv", "a=recvonly", "recvonly")]
    [InlineData("a=rtcp-mux\r\n", "", "rtcp-mux")]
    [InlineData("UDP/TLS/RTP/SAVPF", "RTP/AVP", "DTLS-SRTP")]
    [InlineData("a=rtpmap:111 opus/48000/2", "a=rtpmap:111 iSAC/48000", "")]
    public void Offers_the_server_cannot_serve_are_refused_with_a_reason(string find, string replace, string reasonPart)
    {
        string offer = SdpOffers.Chromium.Replace(find, replace, StringComparison.Ordinal);
        Assert.NotEqual(SdpOffers.Chromium, offer);
        var result = SdpNegotiator.Negotiate(offer, Options());
        if (reasonPart.Length == 0)
        {
            // Opus renamed: still answerable with G.711.
            Assert.True(result.Success, result.Error);
            Assert.Equal([0, 8], result.AudioCodecs.Select(c => c.PayloadType));
            return;
        }

        Assert.False(result.Success);
        Assert.Null(result.Answer);
        Assert.Contains(reasonPart, result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Offer_without_any_fingerprint_is_refused()
    {
        string offer = string.Join("\r\n", SdpOffers.Chromium.Split("\r\n").Where(l => !l.StartsWith("a=fingerprint", StringComparison.Ordinal)));
        var result = SdpNegotiator.Negotiate(offer, Options());
        Assert.False(result.Success);
        Assert.Contains("fingerprint", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Announced_public_address_comes_first_with_the_socket_port()
    {
        var options = Options() with
        {
            Candidates = [new IPEndPoint(IPAddress.Parse("10.0.0.5"), 40000), new IPEndPoint(IPAddress.Parse("fd00::5"), 40000)],
            AnnouncedAddress = IPAddress.Parse("203.0.113.9"),
        };
        var answer = ParseAnswer(SdpNegotiator.Negotiate(SdpOffers.Chromium, options));
        var candidates = answer.Media[0].Candidates;
        Assert.Equal(["203.0.113.9", "10.0.0.5", "fd00::5"], candidates.Select(c => c.Address));
        Assert.All(candidates, c => Assert.Equal(40000, c.Port));
        Assert.Equal("IN IP4 203.0.113.9", answer.Media[0].Connection);
        Assert.Equal(40000, answer.Media[0].Port);
        Assert.Equal(3, candidates.Select(c => c.Foundation).Distinct().Count());
        Assert.True(candidates[0].Priority > candidates[1].Priority && candidates[1].Priority > candidates[2].Priority);
    }

    [Fact]
    public void Session_level_direction_applies_when_the_section_has_none()
    {
        string offer = SdpOffers.Chromium
            .Replace("a=sendrecv\r\n", "", StringComparison.Ordinal)
            .Replace("a=extmap-allow-mixed\r\n", "a=extmap-allow-mixed\r\na=recvonly\r\n", StringComparison.Ordinal);
        var result = SdpNegotiator.Negotiate(offer, Options());
        Assert.False(result.Success);
        Assert.Contains("recvonly", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Fingerprint_matches_the_certificate_it_was_made_from()
    {
        var fingerprint = SdpFingerprint.Sha256OfCertificate(Certificate);
        Assert.True(fingerprint.Matches(Certificate));
        Assert.False(fingerprint.Matches([1, 2, 3]));
        Assert.True(SdpFingerprint.TryParse(fingerprint.ToValue(), out var parsed));
        Assert.Equal(fingerprint, parsed);
    }
}
