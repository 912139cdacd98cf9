using System.Buffers.Binary;
using System.Text;
using WebRtcAsr.Rtc.PeerConnection;
using WebRtcAsr.Rtc.DataChannels;
using Xunit.Abstractions;

namespace WebRtcAsr.Rtc.Tests.PeerConnection;

/// <summary>
/// Two of our PeerConnections (client and server role) wired in memory: the whole stack (ICE,
/// DTLS-SRTP, SRTP, SCTP, DCEP) end to end, on a virtual clock, with and without loss and reordering.
/// </summary>
public sealed class PeerConnectionPairTests(ITestOutputHelper output)
{
    [Fact]
    public void Client_and_server_connect_and_report_offer_to_connected_time()
    {
        using var pair = new InMemoryPeerPair();
        long start = pair.Now;
        Assert.True(pair.RunUntil(() => pair.Server.State == PeerConnectionState.Connected && pair.Client.State == PeerConnectionState.Connected));
        Assert.Contains(pair.ServerEvents, e => e.Kind == PeerConnectionEventKind.StateChanged && e.State == PeerConnectionState.Connecting);
        Assert.Contains(pair.ServerEvents, e => e.Kind == PeerConnectionEventKind.RemoteAddressValidated && e.Remote!.Equals(InMemoryPeerPair.ClientAddress));
        Assert.Equal(InMemoryPeerPair.ClientAddress, pair.Server.RemoteAddress);
        Assert.Equal(InMemoryPeerPair.ServerAddress, pair.Client.RemoteAddress);
        Assert.Contains("a=ice-lite", pair.Server.LocalDescription, StringComparison.Ordinal);
        Assert.Contains("a=setup:passive", pair.Server.LocalDescription, StringComparison.Ordinal);
        Assert.Contains("a=end-of-candidates", pair.Server.LocalDescription, StringComparison.Ordinal);

        // Virtual time at 10 ms one-way delay: ICE (1 RTT) + DTLS (2 RTT); printed, not asserted.
        output.WriteLine($"offer-to-connected (virtual, 10 ms one-way): {(pair.Server.ConnectedAtMicros - start) / 1000.0:F1} ms");
        var wall = System.Diagnostics.Stopwatch.StartNew();
        using var instant = new InMemoryPeerPair(delayMicros: 0);
        instant.RunUntil(() => instant.Server.State == PeerConnectionState.Connected && instant.Client.State == PeerConnectionState.Connected);
        output.WriteLine($"offer-to-connected (CPU, zero delay, incl. answer): {wall.Elapsed.TotalMilliseconds:F1} ms");
    }

    [Fact]
    public void Audio_rtp_arrives_decrypted_with_its_header()
    {
        using var pair = new InMemoryPeerPair();
        Assert.True(pair.RunUntil(() => pair.Client.State == PeerConnectionState.Connected));
        var sent = new List<byte[]>();
        for (int i = 0; i < 50; i++)
        {
            var packet = Rtp((ushort)(1000 + i), (uint)(i * 960), pair.Client.AudioSsrc, i);
            sent.Add(packet);
            Assert.True(pair.Client.SendRtp(packet, pair.Now));
            pair.Flush();
            pair.RunUntil(() => false, 20_000);
        }

        pair.RunUntil(() => pair.ServerRtp.Count == sent.Count, 1_000_000);
        Assert.Equal(sent, pair.ServerRtp);
        var first = pair.ServerEvents.First(e => e.Kind == PeerConnectionEventKind.AudioRtp);
        Assert.Equal(Rtc.PeerConnection.PeerConnection.ClientOpusPayloadType, first.Rtp.PayloadType);
        Assert.Equal(1000, first.Rtp.SequenceNumber);
        Assert.Equal(pair.Client.AudioSsrc, first.Rtp.Ssrc);
        Assert.Equal(111, pair.Server.Negotiation!.AudioCodecs[0].PayloadType);
    }

    [Theory]
    [InlineData(0.0, 0L)]
    [InlineData(0.1, 30_000L)]
    [InlineData(0.25, 60_000L)]
    public void Data_channel_messages_arrive_exactly_once_in_order_under_loss_and_reordering(double loss, long jitter)
    {
        using var pair = new InMemoryPeerPair(lossRate: loss, jitterMicros: jitter, seed: 7);
        var clientChannel = pair.Client.OpenDataChannel("captions", pair.Now);
        Assert.NotNull(clientChannel);
        Assert.True(pair.RunUntil(() => pair.ServerEvents.Any(e => e.Kind == PeerConnectionEventKind.DataChannelOpened)
            && pair.ClientEvents.Any(e => e.Kind == PeerConnectionEventKind.DataChannelOpened)));
        var serverChannel = pair.ServerEvents.First(e => e.Kind == PeerConnectionEventKind.DataChannelOpened).Channel!;
        Assert.Equal("captions", serverChannel.Label);
        Assert.Equal(0, serverChannel.Id);

        const int count = 300;
        for (int i = 0; i < count; i++)
        {
            Assert.Equal(DataChannelSendStatus.Ok, pair.Client.SendDataChannelMessage(clientChannel!, $"up {i}", pair.Now));
            Assert.Equal(DataChannelSendStatus.Ok, pair.Server.SendDataChannelMessage(serverChannel, $"down {i}", pair.Now));
            pair.Flush();
        }

        var big = new byte[100_000];
        new Random(3).NextBytes(big);
        Assert.Equal(DataChannelSendStatus.Ok, pair.Client.SendDataChannelMessage(clientChannel!, big, binary: true, pair.Now));
        Assert.Equal(DataChannelSendStatus.Ok, pair.Server.SendDataChannelMessage(serverChannel, big, binary: true, pair.Now));
        pair.Flush();

        Assert.True(pair.RunUntil(() => Messages(pair.ServerEvents).Count == count + 1 && Messages(pair.ClientEvents).Count == count + 1, 600_000_000),
            $"server got {Messages(pair.ServerEvents).Count}, client {Messages(pair.ClientEvents).Count}, dropped {pair.DatagramsDropped}, states {pair.Server.State}/{pair.Client.State} {pair.Server.StateReason} {string.Join(",", pair.ServerEvents.Where(e => e.Kind != PeerConnectionEventKind.DataChannelMessage))} sctp-drop {pair.Server.Counters.DroppedSctpPackets}/{pair.Client.Counters.DroppedSctpPackets} t={pair.Now} c: {Describe(pair.Client)} s: {Describe(pair.Server)}");
        pair.RunUntil(() => false, 5_000_000); // nothing more may arrive (no duplicates)
        AssertStream(Messages(pair.ServerEvents), "up", big);
        AssertStream(Messages(pair.ClientEvents), "down", big);
        output.WriteLine($"loss {loss:P0}, jitter {jitter / 1000} ms: {pair.DatagramsDropped} datagrams dropped, virtual time {pair.Now / 1e6:F1} s");
    }

    [Fact]
    public void Server_opens_a_channel_and_empty_messages_survive()
    {
        using var pair = new InMemoryPeerPair();
        pair.Client.OpenDataChannel("control", pair.Now);
        Assert.True(pair.RunUntil(() => pair.ServerEvents.Any(e => e.Kind == PeerConnectionEventKind.DataChannelOpened)));
        var captions = pair.Server.OpenDataChannel("captions", pair.Now);
        Assert.NotNull(captions);
        Assert.Equal(1, captions!.Id); // the DTLS server takes odd streams (RFC 8832 6)
        Assert.True(pair.RunUntil(() => pair.ClientEvents.Any(e => e.Kind == PeerConnectionEventKind.DataChannelOpened && e.Channel!.Label == "captions")
            && captions.State == DataChannelState.Open));
        Assert.Equal(DataChannelSendStatus.Ok, pair.Server.SendDataChannelMessage(captions, [], binary: false, pair.Now));
        Assert.Equal(DataChannelSendStatus.Ok, pair.Server.SendDataChannelMessage(captions, "hello", pair.Now));
        Assert.True(pair.RunUntil(() => Messages(pair.ClientEvents).Count == 2));
        var messages = Messages(pair.ClientEvents);
        Assert.Equal(0, messages[0].Data.Length);
        Assert.False(messages[0].IsBinary);
        Assert.Equal("hello", Encoding.UTF8.GetString(messages[1].Data.Span));
        Assert.Equal("captions", messages[1].Channel!.Label);
    }

    [Fact]
    public void Closing_a_channel_resets_its_stream_on_both_sides()
    {
        using var pair = new InMemoryPeerPair();
        var channel = pair.Client.OpenDataChannel("captions", pair.Now)!;
        Assert.True(pair.RunUntil(() => channel.State == DataChannelState.Open && pair.Server.DataChannels.Count == 1));
        pair.Client.CloseDataChannel(channel, pair.Now);
        Assert.True(pair.RunUntil(() => pair.ServerEvents.Any(e => e.Kind == PeerConnectionEventKind.DataChannelClosed)
            && pair.ClientEvents.Any(e => e.Kind == PeerConnectionEventKind.DataChannelClosed)));
        Assert.Empty(pair.Server.DataChannels);
        Assert.Empty(pair.Client.DataChannels);
        Assert.Equal(PeerConnectionState.Connected, pair.Server.State);
    }

    [Fact]
    public void Graceful_close_reaches_closed_on_both_sides_and_stops_all_timers()
    {
        using var pair = new InMemoryPeerPair();
        pair.Client.OpenDataChannel("captions", pair.Now);
        Assert.True(pair.RunUntil(() => pair.Server.DataChannels.Count == 1));
        pair.Server.Close(pair.Now);
        pair.Flush();
        Assert.True(pair.RunUntil(() => pair.Server.State == PeerConnectionState.Closed && pair.Client.State == PeerConnectionState.Closed));
        Assert.Null(pair.Server.NextTimeoutMicros);
        Assert.Null(pair.Client.NextTimeoutMicros);
        Assert.Contains(pair.ClientEvents, e => e.Kind == PeerConnectionEventKind.DataChannelClosed);
        Assert.Contains("close_notify", pair.Client.StateReason, StringComparison.Ordinal);
        Assert.True(pair.Server.IsFinished);
    }

    [Fact]
    public void Consent_loss_fails_the_server_peer()
    {
        using var pair = new InMemoryPeerPair();
        Assert.True(pair.RunUntil(() => pair.Server.State == PeerConnectionState.Connected));
        long silentFrom = pair.Now;
        pair.ClientSilenced = true;
        Assert.True(pair.RunUntil(() => pair.Server.State == PeerConnectionState.Failed, 60_000_000));
        Assert.Contains("consent", pair.Server.StateReason, StringComparison.Ordinal);
        Assert.InRange(pair.Now - silentFrom, 25_000_000, 31_000_000); // RFC 7675: 30 s after the last check
        Assert.Null(pair.Server.NextTimeoutMicros);
    }

    [Fact]
    public void A_peer_that_keeps_consent_but_never_completes_dtls_fails_at_the_connect_timeout()
    {
        using var pair = new InMemoryPeerPair { DropFromClient = datagram => datagram[0] is >= 20 and <= 63 };
        Assert.True(pair.RunUntil(() => pair.Server.State == PeerConnectionState.Failed, 120_000_000));
        Assert.Contains("not connected within 30 s", pair.Server.StateReason, StringComparison.Ordinal);
        Assert.Contains("ICE connected", pair.Server.StateReason, StringComparison.Ordinal);
        Assert.InRange(pair.Now - pair.Server.CreatedAtMicros, 30_000_000, 30_100_000);
    }

    [Fact]
    public void Consent_keeps_a_quiet_connection_alive()
    {
        using var pair = new InMemoryPeerPair();
        Assert.True(pair.RunUntil(() => pair.Server.State == PeerConnectionState.Connected));
        pair.RunUntil(() => false, 120_000_000);
        Assert.Equal(PeerConnectionState.Connected, pair.Server.State);
        Assert.Equal(PeerConnectionState.Connected, pair.Client.State);
    }

    [Fact]
    public void A_client_whose_certificate_does_not_match_its_offered_fingerprint_is_refused()
    {
        var other = Certificates.DtlsCertificate.Generate(DateTimeOffset.UtcNow);
        using var pair = new InMemoryPeerPair(offerRewrite: offer => offer.Replace(
            InMemoryPeerPair.ClientCert.FingerprintSha256.ToString(), other.FingerprintSha256.ToString(), StringComparison.Ordinal));
        Assert.True(pair.RunUntil(() => pair.Server.State == PeerConnectionState.Failed));
        Assert.Contains("DTLS", pair.Server.StateReason, StringComparison.Ordinal);
        Assert.NotEqual(PeerConnectionState.Connected, pair.Client.State);
        Assert.Empty(pair.ServerRtp);
        Assert.Null(pair.Server.NextTimeoutMicros);
    }

    [Theory]
    [InlineData("m=audio", "m=video", "no audio m-line")]
    [InlineData("a=fingerprint:", "a=x-fingerprint:", "fingerprint")]
    [InlineData("a=setup:actpass", "a=setup:passive", "setup")]
    public void Unusable_offers_are_refused_with_a_reason(string from, string to, string reason)
    {
        using var client = Rtc.PeerConnection.PeerConnection.CreateOffer(InMemoryPeerPair.Options(InMemoryPeerPair.ClientCert, []), 0);
        string offer = client.LocalDescription.Replace(from, to, StringComparison.Ordinal);
        Assert.False(Rtc.PeerConnection.PeerConnection.TryAccept(offer, InMemoryPeerPair.Options(InMemoryPeerPair.ServerCert, [InMemoryPeerPair.ServerAddress]), 0, out var peer, out var error));
        Assert.Null(peer);
        Assert.Contains(reason, error, StringComparison.Ordinal);
    }

    [Fact]
    public void An_oversized_offer_is_refused_before_parsing()
    {
        var options = InMemoryPeerPair.Options(InMemoryPeerPair.ServerCert, [InMemoryPeerPair.ServerAddress]) with { MaxSdpLength = 100 };
        Assert.False(Rtc.PeerConnection.PeerConnection.TryAccept(new string('a', 101), options, 0, out _, out var error));
        Assert.Contains("limit", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Datagrams_from_unvalidated_addresses_are_dropped()
    {
        using var pair = new InMemoryPeerPair();
        Assert.True(pair.RunUntil(() => pair.Server.State == PeerConnectionState.Connected));
        var stranger = new System.Net.IPEndPoint(System.Net.IPAddress.Parse("10.9.9.9"), 1234);
        pair.Server.HandleReceive(Rtp(1, 1, 1, 1), stranger, pair.Now);
        pair.Server.HandleReceive([22, 254, 253, 0, 0], stranger, pair.Now);
        pair.Server.HandleReceive([99, 1, 2], stranger, pair.Now);
        Assert.Equal(2, pair.Server.Counters.DroppedUnvalidatedSource);
        Assert.Equal(1, pair.Server.Counters.DroppedUnknown);
        Assert.Equal(PeerConnectionState.Connected, pair.Server.State);
    }

    private static string Describe(Rtc.PeerConnection.PeerConnection peer) =>
        $"{peer.Sctp!.State} buffered {peer.Sctp.TotalBufferedAmount} cwnd {peer.Sctp.CongestionWindow} rto {peer.Sctp.RtoMicros} sent {peer.Sctp.Counters.DataChunksSent} rtx {peer.Sctp.Counters.DataChunksRetransmitted} t3 {peer.Sctp.Counters.RetransmissionTimeouts} drop {peer.Sctp.Counters.PacketsDropped} {peer.Sctp.Counters.LastDropReason} noroom {peer.Sctp.Counters.DataChunksDroppedNoRoom} next {peer.NextTimeoutMicros}";

    private static List<PeerConnectionEvent> Messages(List<PeerConnectionEvent> events) =>
        events.Where(e => e.Kind == PeerConnectionEventKind.DataChannelMessage).ToList();

    private static void AssertStream(List<PeerConnectionEvent> messages, string prefix, byte[] big)
    {
        for (int i = 0; i < messages.Count - 1; i++)
        {
            Assert.False(messages[i].IsBinary);
            Assert.Equal($"{prefix} {i}", Encoding.UTF8.GetString(messages[i].Data.Span));
        }

        Assert.True(messages[^1].IsBinary);
        Assert.True(messages[^1].Data.Span.SequenceEqual(big));
    }

    private static byte[] Rtp(ushort sequence, uint timestamp, uint ssrc, int fill)
    {
        var packet = new byte[12 + 80];
        packet[0] = 0x80;
        packet[1] = Rtc.PeerConnection.PeerConnection.ClientOpusPayloadType;
        BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(2), sequence);
        BinaryPrimitives.WriteUInt32BigEndian(packet.AsSpan(4), timestamp);
        BinaryPrimitives.WriteUInt32BigEndian(packet.AsSpan(8), ssrc);
        packet.AsSpan(12).Fill((byte)fill);
        return packet;
    }
}
