using WebRtcAsr.Rtc.Certificates;
using WebRtcAsr.Rtc.PeerConnection;

namespace WebRtcAsr.Server.Tests.Signaling;

/// <summary>The peer host's configuration: what the answers announce.</summary>
public sealed class WebRtcPeerHostTests
{
    [Fact]
    public async Task Answers_announce_the_public_address_first_then_the_configured_host_addresses()
    {
        await using var server = await SignalingTestServer.StartAsync(new PeerEventLog(), new Dictionary<string, string?>
        {
            ["WebRtcAsr:PublicAddress"] = "203.0.113.7",
            ["WebRtcAsr:HostAddresses:0"] = "127.0.0.1",
            ["WebRtcAsr:HostAddresses:1"] = "::1",
        });
        using var certificate = DtlsCertificate.Generate(DateTimeOffset.UtcNow);
        using var client = PeerConnection.CreateOffer(new PeerConnectionOptions { Certificate = certificate }, 0);
        Assert.True(server.Host.TryAccept(client.LocalDescription, "connection-1", out var answer, out var error), error);
        int port = server.UdpEndPoint.Port;
        var candidates = answer!.Sdp.Split("\r\n").Where(l => l.StartsWith("a=candidate:", StringComparison.Ordinal)).ToList();
        Assert.Equal(3, candidates.Count);
        Assert.Contains($" 203.0.113.7 {port} typ host", candidates[0], StringComparison.Ordinal);
        Assert.Contains($" 127.0.0.1 {port} typ host", candidates[1], StringComparison.Ordinal);
        Assert.Contains($" ::1 {port} typ host", candidates[2], StringComparison.Ordinal);
        Assert.True(server.Host.Owns(answer.PeerId, "connection-1"));
        Assert.False(server.Host.Owns(answer.PeerId, "connection-2"));
    }
}
