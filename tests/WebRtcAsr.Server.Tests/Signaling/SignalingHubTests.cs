using System.Net;
using System.Text.Json;
using WebRtcAsr.Rtc.Certificates;
using WebRtcAsr.Rtc.PeerConnection;
using WebRtcAsr.Rtc.Transport;

namespace WebRtcAsr.Server.Tests.Signaling;

/// <summary>
/// The signaling hub over a real WebSocket (SignalR JSON protocol) against the server wiring, with
/// our client-role PeerConnection on its own UDP socket as the browser.
/// </summary>
public sealed class SignalingHubTests : IAsyncLifetime
{
    private static readonly DtlsCertificate ClientCertificate = DtlsCertificate.Generate(DateTimeOffset.UtcNow);
    private readonly PeerEventLog _server = new();
    private readonly PeerEventLog _client = new();
    private readonly List<UdpPeerTransport> _clientTransports = [];
    private SignalingTestServer? _host;

    public async Task InitializeAsync() => _host = await SignalingTestServer.StartAsync(_server, new Dictionary<string, string?>
    {
        ["WebRtcAsr:Limits:MaxOfferLength"] = "8000",
        ["WebRtcAsr:Limits:MaxPeersPerConnection"] = "2",
    });

    public async Task DisposeAsync()
    {
        foreach (var transport in _clientTransports)
        {
            await transport.DisposeAsync();
        }

        await _host!.DisposeAsync();
    }

    [Fact]
    public async Task An_offer_is_answered_the_peer_connects_and_hang_up_removes_it()
    {
        await using var signaling = await SignalRJsonClient.ConnectAsync(_host!.HubUri);
        var (client, clientPeer) = NewClient();
        var reply = await signaling.InvokeAsync("Offer", client.LocalDescription);
        string peerId = reply.GetProperty("peerId").GetString()!;
        string answer = reply.GetProperty("sdp").GetString()!;
        Assert.Contains("a=ice-lite", answer, StringComparison.Ordinal);
        Assert.Contains($"127.0.0.1 {_host.UdpEndPoint.Port} typ host", answer, StringComparison.Ordinal);
        Assert.Contains("a=end-of-candidates", answer, StringComparison.Ordinal);
        await signaling.InvokeAsync("AddIceCandidate", peerId, "candidate:1 1 udp 2122260223 127.0.0.1 9 typ host");

        Start(client, clientPeer, answer);
        Assert.True(await PeerEventLog.WaitForAsync(() => _server.Has(peerId, PeerConnectionState.Connected)
            && _server.Has(peerId, PeerConnectionEventKind.DataChannelOpened)));

        await signaling.InvokeAsync("HangUp", peerId);
        Assert.True(await PeerEventLog.WaitForAsync(() => _server.Removed.Contains(peerId) && _client.Has(clientPeer, PeerConnectionState.Closed)));
        await AssertNothingLeftAsync();
    }

    [Fact]
    public async Task A_dropped_signaling_connection_removes_its_peers()
    {
        var signaling = await SignalRJsonClient.ConnectAsync(_host!.HubUri);
        var (client, clientPeer) = NewClient();
        string answer = (await signaling.InvokeAsync("Offer", client.LocalDescription)).GetProperty("sdp").GetString()!;
        Start(client, clientPeer, answer);
        Assert.True(await PeerEventLog.WaitForAsync(() => _client.Has(clientPeer, PeerConnectionState.Connected)));
        Assert.Equal(1, _host.Transport.PeerCount);

        signaling.Abort();
        Assert.True(await PeerEventLog.WaitForAsync(() => _host.Transport.PeerCount == 0));
        await AssertNothingLeftAsync();
        await signaling.DisposeAsync();
    }

    [Theory]
    [InlineData("m=audio", "m=video", "offer refused: offer has no audio m-line")]
    [InlineData("a=fingerprint:", "a=x-fingerprint:", "offer refused: offer lacks a=fingerprint")]
    public async Task Unusable_offers_are_refused_with_the_reason(string from, string to, string reason)
    {
        await using var signaling = await SignalRJsonClient.ConnectAsync(_host!.HubUri);
        using var client = PeerConnection.CreateOffer(new PeerConnectionOptions { Certificate = ClientCertificate }, 0);
        var error = await Assert.ThrowsAsync<SignalRHubException>(() => signaling.InvokeAsync("Offer", client.LocalDescription.Replace(from, to, StringComparison.Ordinal)));
        Assert.EndsWith("HubException: " + reason, error.Message, StringComparison.Ordinal); // SignalR prefixes the method name
        Assert.Equal(0, _host.Transport.PeerCount);
    }

    [Fact]
    public async Task Oversized_and_empty_offers_and_foreign_peer_ids_are_refused()
    {
        await using var signaling = await SignalRJsonClient.ConnectAsync(_host!.HubUri);
        var tooLong = await Assert.ThrowsAsync<SignalRHubException>(() => signaling.InvokeAsync("Offer", "v=0\r\n" + new string('a', 9000)));
        Assert.Contains("limit is 8000", tooLong.Message, StringComparison.Ordinal);
        var empty = await Assert.ThrowsAsync<SignalRHubException>(() => signaling.InvokeAsync("Offer", ""));
        Assert.EndsWith("HubException: offer refused: empty SDP", empty.Message, StringComparison.Ordinal);
        var unknown = await Assert.ThrowsAsync<SignalRHubException>(() => signaling.InvokeAsync("HangUp", "nobody"));
        Assert.EndsWith("HubException: unknown peer", unknown.Message, StringComparison.Ordinal);

        // Another connection's peer is as unknown as a made-up id.
        await using var other = await SignalRJsonClient.ConnectAsync(_host.HubUri);
        using var client = PeerConnection.CreateOffer(new PeerConnectionOptions { Certificate = ClientCertificate }, 0);
        string peerId = (await other.InvokeAsync("Offer", client.LocalDescription)).GetProperty("peerId").GetString()!;
        await Assert.ThrowsAsync<SignalRHubException>(() => signaling.InvokeAsync("HangUp", peerId));
        Assert.Equal(1, _host.Transport.PeerCount);
    }

    [Fact]
    public async Task A_connection_holds_a_bounded_number_of_peers()
    {
        await using var signaling = await SignalRJsonClient.ConnectAsync(_host!.HubUri);
        using var client = PeerConnection.CreateOffer(new PeerConnectionOptions { Certificate = ClientCertificate }, 0);
        await signaling.InvokeAsync("Offer", client.LocalDescription);
        await signaling.InvokeAsync("Offer", client.LocalDescription);
        var third = await Assert.ThrowsAsync<SignalRHubException>(() => signaling.InvokeAsync("Offer", client.LocalDescription));
        Assert.Contains("limit 2", third.Message, StringComparison.Ordinal);
    }

    private (PeerConnection Client, string Id) NewClient()
    {
        var client = PeerConnection.CreateOffer(new PeerConnectionOptions { Certificate = ClientCertificate }, StopwatchClock.Instance.NowMicros);
        client.OpenDataChannel("captions", StopwatchClock.Instance.NowMicros);
        return (client, client.LocalCredentials.Ufrag);
    }

    private void Start(PeerConnection client, string id, string answer)
    {
        Assert.True(client.SetRemoteAnswer(answer, StopwatchClock.Instance.NowMicros, out var error), error);
        var transport = new UdpPeerTransport(new UdpPeerTransportOptions { LocalEndPoint = new IPEndPoint(IPAddress.Loopback, 0) });
        transport.Start();
        _clientTransports.Add(transport);
        Assert.True(transport.TryAddPeer(client, _client, out var peer, out error, knownRemotes: [_host!.UdpEndPoint]), error);
        Assert.Equal(id, peer!.Id);
    }

    private async Task AssertNothingLeftAsync()
    {
        var transport = _host!.Transport;
        Assert.True(await PeerEventLog.WaitForAsync(() => transport.PeerCount == 0 && transport.ActiveWorkers == 0 && _host.Host.TrackedPeerCount == 0));
        Assert.Equal(0, transport.DemuxPeerCount);
        Assert.Equal(0, transport.DemuxAddressCount);
        Assert.Equal(0, transport.ActiveTimers);
        Assert.Equal(0, transport.PendingHandshakes);
        Assert.Equal(0, _host.Host.TrackedOwnerCount);
    }
}
