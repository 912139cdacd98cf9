using System.Net;
using System.Net.Sockets;
using System.Text;
using WebRtcAsr.Rtc.Ice;
using WebRtcAsr.Rtc.PeerConnection;
using WebRtcAsr.Rtc.Transport;

namespace WebRtcAsr.Rtc.Tests.PeerConnection;

/// <summary>
/// The UDP driver on 127.0.0.1: a server transport serving server-role peers, and one transport per
/// client-role peer (a client is one 5-tuple, as each browser has its own port), real sockets, real timers.
/// </summary>
public sealed class UdpPeerTransportTests : IAsyncDisposable
{
    private static readonly IPEndPoint Loopback = new(IPAddress.Loopback, 0);
    private readonly UdpPeerTransport _server = new(new UdpPeerTransportOptions { LocalEndPoint = Loopback, MaxPeers = 8, MaxPendingHandshakes = 4 });
    private readonly List<UdpPeerTransport> _clientTransports = [];
    private readonly RecordingPeerHandler _serverEvents = new();
    private readonly RecordingPeerHandler _clientEvents = new();

    private readonly Xunit.Abstractions.ITestOutputHelper _output;

    public UdpPeerTransportTests(Xunit.Abstractions.ITestOutputHelper output)
    {
        _output = output;
        _server.Start();
    }

    [Fact]
    public async Task Several_peers_connect_exchange_data_and_audio_then_leave_nothing_behind()
    {
        // The server echoes every text message back, upper-cased, from the peer's own worker.
        _serverEvents.OnEach = (peer, e) =>
        {
            if (e.Kind == PeerConnectionEventKind.DataChannelMessage && !e.IsBinary)
            {
                peer.Connection.SendDataChannelMessage(e.Channel!, Encoding.UTF8.GetString(e.Data.Span).ToUpperInvariant(), _server.Clock.NowMicros);
            }
        };
        var clients = Enumerable.Range(0, 3).Select(_ => Connect()).ToList();
        Assert.True(await RecordingPeerHandler.WaitFor(() => _serverEvents.Count(PeerConnectionState.Connected) == 3 && _clientEvents.Count(PeerConnectionEventKind.DataChannelOpened) == 3),
            $"server events: {string.Join(", ", _serverEvents.Events.Select(e => e.Event))}");
        Assert.Equal(0, _server.PendingHandshakes);
        Assert.Equal(3, _server.DemuxAddressCount);
        foreach (var client in clients)
        {
            Assert.True(client.TryPost((pc, _) => _output.WriteLine(
                $"offer-to-connected over UDP loopback (client peer, from offer creation): {(pc.ConnectedAtMicros - pc.CreatedAtMicros) / 1000.0:F1} ms")));
        }

        foreach (var client in clients)
        {
            Assert.True(client.TryPost((pc, now) =>
            {
                var channel = pc.DataChannels.Single();
                pc.SendDataChannelMessage(channel, "hello " + pc.LocalCredentials.Ufrag, now);
                pc.SendRtp(Rtp(pc.AudioSsrc), now);
            }));
        }

        Assert.True(await RecordingPeerHandler.WaitFor(() => _clientEvents.Count(PeerConnectionEventKind.DataChannelMessage) == 3 && _serverEvents.Audio.Count == 3));
        var replies = _clientEvents.Events.Where(e => e.Event.Kind == PeerConnectionEventKind.DataChannelMessage)
            .Select(e => (e.Peer.Id, Text: Encoding.UTF8.GetString(e.Event.Data.Span))).ToList();
        Assert.All(replies, r => Assert.Equal("HELLO " + r.Id.ToUpperInvariant(), r.Text));

        foreach (var client in clients)
        {
            Assert.True(client.TryPost((pc, now) => pc.Close(now)));
        }

        Assert.True(await RecordingPeerHandler.WaitFor(() => _server.PeerCount == 0 && ClientPeerCount == 0));
        await AssertNothingLeft(_server);
        foreach (var transport in _clientTransports)
        {
            await AssertNothingLeft(transport);
        }

        Assert.Equal(3, _serverEvents.Removed.Count);
        Assert.True(_server.Counters.PacketsIn > 0 && _server.Counters.PacketsOut > 0);
    }

    [Fact]
    public async Task Datagrams_from_strangers_are_dropped_and_counted_without_creating_peers()
    {
        using var stranger = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        var garbage = new byte[] { 0x00, 0x01, 0x00, 0x00, 0x21, 0x12, 0xA4, 0x42, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12 };
        for (int i = 0; i < 20; i++)
        {
            stranger.SendTo(garbage, _server.LocalEndPoint);
            stranger.SendTo(new byte[] { 0x80, 0x6f, 0, 1 }, _server.LocalEndPoint);
        }

        Assert.True(await RecordingPeerHandler.WaitFor(() => _server.Counters.Dropped(TransportDropReason.UnknownSource) == 40));
        Assert.Equal(0, _server.PeerCount);
        Assert.Equal(0, _server.DemuxAddressCount);
    }

    [Fact]
    public async Task Pending_handshakes_are_limited()
    {
        var peers = new List<Rtc.PeerConnection.PeerConnection>();
        for (int i = 0; i < 4; i++)
        {
            Assert.True(TryAcceptOffer(out var peer, out var error), error);
            peers.Add(peer!);
        }

        Assert.False(TryAcceptOffer(out var refused, out var reason));
        Assert.Null(refused);
        Assert.Contains("in progress", reason, StringComparison.Ordinal);
        Assert.Equal(4, _server.PendingHandshakes);
    }

    [Fact]
    public async Task A_full_peer_queue_refuses_more_work_and_the_peer_recovers()
    {
        using var gate = new ManualResetEventSlim(false);
        var client = Connect();
        Assert.True(await RecordingPeerHandler.WaitFor(() => _clientEvents.Count(PeerConnectionState.Connected) == 1));
        Assert.True(client.TryPost((_, _) => gate.Wait(TimeSpan.FromSeconds(20)))); // block the worker
        int accepted = 0;
        for (int i = 0; i < 1000; i++)
        {
            accepted += client.TryPost((_, _) => { }) ? 1 : 0;
        }

        Assert.InRange(accepted, 255, 256); // the queue holds 256 items (one may already be taken)
        gate.Set();
        Assert.True(client.TryPost((pc, now) => pc.Close(now)) || await RecordingPeerHandler.WaitFor(() => client.TryPost((pc, now) => pc.Close(now))));
        Assert.True(await RecordingPeerHandler.WaitFor(() => ClientPeerCount == 0 && _server.PeerCount == 0));
        foreach (var transport in _clientTransports)
        {
            await AssertNothingLeft(transport);
        }

    }

    [Fact]
    public async Task A_peer_that_goes_silent_fails_on_consent_expiry_and_is_removed()
    {
        // A short consent timeout stands in for RFC 7675's 30 s.
        var client = Connect(serverIce: new IceAgentOptions { ConsentTimeout = TimeSpan.FromSeconds(1) });
        Assert.True(await RecordingPeerHandler.WaitFor(() => _serverEvents.Count(PeerConnectionState.Connected) == 1));
        Assert.Equal(1, _server.DemuxAddressCount);
        await _clientTransports[0].DisposeAsync(); // the browser vanishes without a word
        Assert.True(await RecordingPeerHandler.WaitFor(() => _server.PeerCount == 0));
        Assert.Equal(1, _serverEvents.Count(PeerConnectionState.Failed));
        await AssertNothingLeft(_server);
        _ = client;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var transport in _clientTransports)
        {
            await transport.DisposeAsync();
        }

        await _server.DisposeAsync();
    }

    private int ClientPeerCount => _clientTransports.Sum(t => t.PeerCount);

    private TransportPeer Connect(IceAgentOptions? serverIce = null)
    {
        var transport = new UdpPeerTransport(new UdpPeerTransportOptions { LocalEndPoint = Loopback });
        transport.Start();
        _clientTransports.Add(transport);
        long now = transport.Clock.NowMicros;
        var client = Rtc.PeerConnection.PeerConnection.CreateOffer(InMemoryPeerPair.Options(InMemoryPeerPair.ClientCert, []), now);
        client.OpenDataChannel("captions", now);
        var serverOptions = InMemoryPeerPair.Options(InMemoryPeerPair.ServerCert, [_server.LocalEndPoint]) with { Ice = serverIce ?? new IceAgentOptions() };
        Assert.True(Rtc.PeerConnection.PeerConnection.TryAccept(client.LocalDescription, serverOptions, _server.Clock.NowMicros, out var server, out var error), error);
        Assert.True(_server.TryAddPeer(server!, _serverEvents, out _, out error), error);
        Assert.True(client.SetRemoteAnswer(server!.LocalDescription, now, out error), error);
        Assert.True(transport.TryAddPeer(client, _clientEvents, out var handle, out error, knownRemotes: [_server.LocalEndPoint]), error);
        return handle!;
    }

    private bool TryAcceptOffer(out Rtc.PeerConnection.PeerConnection? peer, out string? error)
    {
        using var client = Rtc.PeerConnection.PeerConnection.CreateOffer(InMemoryPeerPair.Options(InMemoryPeerPair.ClientCert, []), 0);
        Assert.True(Rtc.PeerConnection.PeerConnection.TryAccept(client.LocalDescription, InMemoryPeerPair.Options(InMemoryPeerPair.ServerCert, [_server.LocalEndPoint]), _server.Clock.NowMicros, out var server, out error), error);
        if (_server.TryAddPeer(server!, _serverEvents, out _, out error))
        {
            peer = server;
            return true;
        }

        server!.Dispose();
        peer = null;
        return false;
    }

    private static async Task AssertNothingLeft(UdpPeerTransport transport)
    {
        Assert.True(await RecordingPeerHandler.WaitFor(() => transport.ActiveWorkers == 0));
        Assert.Equal(0, transport.PeerCount);
        Assert.Equal(0, transport.DemuxPeerCount);
        Assert.Equal(0, transport.DemuxAddressCount);
        Assert.Equal(0, transport.ActiveTimers);
        Assert.Equal(0, transport.PendingHandshakes);
    }

    private static byte[] Rtp(uint ssrc)
    {
        var packet = new byte[12 + 40];
        packet[0] = 0x80;
        packet[1] = Rtc.PeerConnection.PeerConnection.ClientOpusPayloadType;
        packet[3] = 7;
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(packet.AsSpan(8), ssrc);
        return packet;
    }
}
