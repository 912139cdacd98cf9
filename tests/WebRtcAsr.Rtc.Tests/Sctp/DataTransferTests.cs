using WebRtcAsr.Rtc.Sctp;

namespace WebRtcAsr.Rtc.Tests.Sctp;

public class DataTransferTests
{
    private static void SendAll(AssociationPair pair, bool fromClient, ushort stream, IEnumerable<byte[]> messages, bool unordered = false)
    {
        var sender = fromClient ? pair.Client.Association : pair.Server.Association;
        foreach (var message in messages)
        {
            Assert.Equal(SctpSendStatus.Ok, sender.Send(stream, 53, message, new SctpSendOptions(unordered), pair.Link.Now));
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(1171)] // largest single-chunk payload is 1200 - 12 - 16 = 1172
    [InlineData(1172)]
    [InlineData(1173)]
    [InlineData(1200)]
    [InlineData((64 * 1024) + 1)]
    [InlineData(200 * 1024)]
    public void Message_arrives_whole_both_ways(int size)
    {
        var pair = new AssociationPair();
        pair.Connect();
        var up = AssociationPair.Pattern(size, 1);
        var down = AssociationPair.Pattern(size, 2);
        SendAll(pair, true, 1, [up]);
        SendAll(pair, false, 2, [down]);
        Assert.True(pair.Link.RunUntil(() => pair.Server.Messages(1).Any() && pair.Client.Messages(2).Any()));
        Assert.Equal(up, Assert.Single(pair.Server.Messages(1)).Data);
        Assert.Equal(down, Assert.Single(pair.Client.Messages(2)).Data);
        Assert.Equal(53u, pair.Server.Messages(1).Single().Ppid);
        pair.Link.RunIdle(1_000_000);
        Assert.Equal(0, pair.Client.Association.TotalBufferedAmount);
        Assert.Equal(0, pair.Client.Association.Counters.DataChunksRetransmitted);
    }

    [Fact]
    public void Small_messages_are_bundled_into_few_packets()
    {
        var pair = new AssociationPair();
        pair.Connect();
        int before = pair.Link.PacketsAToB;
        SendAll(pair, true, 0, Enumerable.Range(0, 40).Select(i => new byte[20]));
        Assert.True(pair.Link.RunUntil(() => pair.Server.Messages(0).Count() == 40));
        Assert.True(pair.Link.PacketsAToB - before <= 2, $"{pair.Link.PacketsAToB - before} packets for 40 x 20 bytes");
    }

    [Fact]
    public void Interleaved_streams_keep_order_within_each_stream()
    {
        var pair = new AssociationPair();
        pair.Connect();
        var client = pair.Client.Association;
        for (int i = 0; i < 300; i++)
        {
            ushort stream = (ushort)(i % 3);
            var message = BitConverter.GetBytes(i).Concat(new byte[i * 37 % 3000]).ToArray();
            Assert.Equal(SctpSendStatus.Ok, client.Send(stream, 53, message, default, pair.Link.Now));
        }

        Assert.True(pair.Link.RunUntil(() => pair.Server.Events.Count(e => e.Kind == SctpEventKind.Message) == 300));
        for (ushort s = 0; s < 3; s++)
        {
            var got = pair.Server.Messages(s).Select(e => BitConverter.ToInt32(e.Data)).ToList();
            Assert.Equal(Enumerable.Range(0, 300).Where(i => i % 3 == s).ToList(), got);
        }
    }

    [Theory]
    [InlineData(1, 0.10, 0.0, 0.0)]
    [InlineData(2, 0.20, 0.0, 0.0)]
    [InlineData(3, 0.15, 0.10, 0.20)]
    [InlineData(4, 0.10, 0.20, 0.30)]
    public void Lossy_reordering_duplicating_network_delivers_everything_once_in_order(int seed, double loss, double dup, double reorder)
    {
        var pair = new AssociationPair(seed);
        pair.Connect();
        pair.Link.LossRate = loss;
        pair.Link.DuplicateRate = dup;
        pair.Link.ReorderRate = reorder;
        var random = new Random(seed);
        var sent = new List<byte[]>();
        for (int i = 0; i < 150; i++)
        {
            var message = AssociationPair.Pattern(random.Next(1, 5000), i);
            BitConverter.TryWriteBytes(message.AsSpan(), i);
            sent.Add(message);
        }

        SendAll(pair, true, 5, sent);
        SendAll(pair, false, 6, sent.Take(50));
        Assert.True(pair.Link.RunUntil(() => pair.Server.Messages(5).Count() >= 150 && pair.Client.Messages(6).Count() >= 50, 600_000_000),
            $"server got {pair.Server.Messages(5).Count()}, client {pair.Client.Messages(6).Count()}; "
            + $"{pair.Client.Association.State}/{pair.Client.Association.CloseReason} {pair.Server.Association.State}/{pair.Server.Association.CloseReason} "
            + $"next {pair.Client.Association.NextTimeoutMicros - pair.Link.Now} {pair.Server.Association.NextTimeoutMicros - pair.Link.Now} "
            + $"buffered {pair.Client.Association.TotalBufferedAmount} {pair.Server.Association.TotalBufferedAmount} "
            + $"rto {pair.Client.Association.RtoMicros} cwnd {pair.Client.Association.CongestionWindow} drop {pair.Client.Association.Counters.LastDropReason} / {pair.Server.Association.Counters.LastDropReason}");
        pair.Link.RunIdle(5_000_000);
        Assert.Equal(sent.Select(Convert.ToHexString), pair.Server.Messages(5).Select(e => Convert.ToHexString(e.Data!)));
        Assert.Equal(sent.Take(50).Select(Convert.ToHexString), pair.Client.Messages(6).Select(e => Convert.ToHexString(e.Data!)));
        Assert.True(pair.Client.Association.Counters.DataChunksRetransmitted > 0);
        Assert.Equal(SctpAssociationState.Established, pair.Client.Association.State);
    }

    [Fact]
    public void Tsn_and_ssn_wrap_around_under_loss()
    {
        // Both sides start 40 TSNs before 2^32; 70 000 messages on one stream wrap its 16-bit SSN too.
        var options = new SctpOptions { InitialTsn = 0xFFFF_FFD8 };
        var pair = new AssociationPair(31, options, options);
        pair.Connect();
        pair.Link.LossRate = 0.1;
        pair.Link.ReorderRate = 0.2;
        var client = pair.Client.Association;
        int next = 0, count = 70_000;
        Assert.True(pair.Link.RunUntil(() =>
        {
            while (next < count && client.Send(1, 53, BitConverter.GetBytes(next), default, pair.Link.Now) == SctpSendStatus.Ok)
            {
                next++;
            }

            return pair.Server.Events.Count(e => e.Kind == SctpEventKind.Message) == count;
        }, 3_600_000_000));
        Assert.Equal(Enumerable.Range(0, count), pair.Server.Messages(1).Select(e => BitConverter.ToInt32(e.Data)));
    }

    [Fact]
    public void Unordered_messages_all_arrive_under_loss()
    {
        var pair = new AssociationPair(9);
        pair.Connect();
        pair.Link.LossRate = 0.15;
        pair.Link.ReorderRate = 0.3;
        var sent = Enumerable.Range(0, 100).Select(i => BitConverter.GetBytes(i).Concat(new byte[i * 53 % 2500]).ToArray()).ToList();
        SendAll(pair, true, 7, sent, unordered: true);
        Assert.True(pair.Link.RunUntil(() => pair.Server.Messages(7).Count() >= 100, 600_000_000));
        pair.Link.RunIdle(5_000_000);
        var got = pair.Server.Messages(7).Select(e => BitConverter.ToInt32(e.Data)).ToList();
        Assert.Equal(Enumerable.Range(0, 100), got.Order());
    }

    [Fact]
    public void Fast_retransmit_repairs_a_single_loss_before_the_timer()
    {
        var pair = new AssociationPair();
        pair.Connect();
        int dataPackets = 0;
        pair.Link.Intercept = (toServer, p) =>
            toServer && AssociationPair.FirstChunk(p) is SctpChunkType.Data or SctpChunkType.Sack && ++dataPackets == 2 ? null : p;
        SendAll(pair, true, 0, Enumerable.Range(0, 20).Select(i => new byte[1000]));
        Assert.True(pair.Link.RunUntil(() => pair.Server.Messages(0).Count() == 20));
        Assert.True(pair.Client.Association.Counters.FastRetransmits >= 1);
        Assert.Equal(0, pair.Client.Association.Counters.RetransmissionTimeouts);
    }

    [Fact]
    public void Send_refuses_oversized_messages_and_a_full_buffer()
    {
        var pair = new AssociationPair(clientOptions: new SctpOptions { MaxMessageSize = 1000, SendBufferLimit = 3000 });
        var client = pair.Client.Association;
        Assert.Equal(SctpSendStatus.NotConnected, client.Send(0, 51, "x"u8, default, 0));
        pair.Connect();
        Assert.Equal(SctpSendStatus.MessageTooLarge, client.Send(0, 51, new byte[1001], default, pair.Link.Now));
        Assert.Equal(SctpSendStatus.EmptyMessage, client.Send(0, 51, [], default, pair.Link.Now));
        Assert.Equal(SctpSendStatus.InvalidStream, client.Send(1024, 51, "x"u8, default, pair.Link.Now));
        Assert.Equal(SctpSendStatus.Ok, client.Send(0, 51, new byte[1000], default, pair.Link.Now));
        Assert.Equal(SctpSendStatus.Ok, client.Send(0, 51, new byte[1000], default, pair.Link.Now));
        Assert.Equal(SctpSendStatus.Ok, client.Send(0, 51, new byte[1000], default, pair.Link.Now));
        Assert.Equal(SctpSendStatus.BufferFull, client.Send(0, 51, "x"u8, default, pair.Link.Now));
        Assert.Equal(3000, client.BufferedAmount(0));
        pair.Link.RunIdle(1_000_000);
        Assert.Equal(0, client.BufferedAmount(0));
        Assert.Equal(SctpSendStatus.Ok, client.Send(0, 51, "x"u8, default, pair.Link.Now));
    }

    [Theory]
    [InlineData(null, 256 * 1024)] // unknown: our own limit
    [InlineData(65536, 65536)] // the peer's a=max-message-size
    [InlineData(0, 4 * 1024 * 1024)] // 0 is "no limit": the send buffer bounds it
    public void Send_limit_follows_the_peer_max_message_size(int? peerLimit, int expected)
    {
        var association = new SctpAssociation(new SctpOptions { PeerMaxMessageSize = peerLimit });
        Assert.Equal(expected, association.MaxSendMessageSize);
    }

    [Fact]
    public void Slow_reader_closes_the_window_and_nothing_is_lost()
    {
        var pair = new AssociationPair(serverOptions: new SctpOptions { ReceiveBufferLimit = 64 * 1024 });
        var server = new SlowReader(pair.Server.Association);
        var link = new InMemoryLink(pair.Client, server);
        pair.Client.Association.Connect(link.Now);
        Assert.True(link.RunUntil(() => pair.Server.Association.State == SctpAssociationState.Established));
        var sent = Enumerable.Range(0, 40).Select(i => AssociationPair.Pattern(10_000, i)).ToList();
        foreach (var m in sent)
        {
            pair.Client.Association.Send(0, 53, m, default, link.Now);
        }

        link.RunUntil(() => false, 2_000_000);
        Assert.True(server.Received.Count < 40); // the reader has not drained everything
        server.Reading = true;
        Assert.True(link.RunUntil(() => server.Received.Count == 40, 120_000_000));
        Assert.Equal(sent.Select(Convert.ToHexString), server.Received.Select(Convert.ToHexString));
    }

    [Fact]
    public void Receiver_memory_stays_bounded_when_the_application_stops_reading()
    {
        var pair = new AssociationPair(serverOptions: new SctpOptions { ReceiveBufferLimit = 100_000 });
        var server = new SlowReader(pair.Server.Association);
        var link = new InMemoryLink(pair.Client, server);
        pair.Client.Association.Connect(link.Now);
        Assert.True(link.RunUntil(() => pair.Server.Association.State == SctpAssociationState.Established));
        for (int i = 0; i < 400; i++)
        {
            pair.Client.Association.Send(0, 53, new byte[5000], default, link.Now);
        }

        link.RunUntil(() => false, 30_000_000);
        Assert.InRange(pair.Server.Association.ReceiveBufferedAmount, 100_000, 200_000);
        Assert.True(pair.Client.Association.TotalBufferedAmount > 1_000_000); // back-pressure reached the sender
        Assert.Equal(SctpAssociationState.Established, pair.Client.Association.State);

        // Ten minutes of a closed window: probes go unanswered by data, but SACKs keep coming, so
        // the sender does not declare the peer dead.
        link.RunUntil(() => false, 600_000_000);
        Assert.Equal(SctpAssociationState.Established, pair.Client.Association.State);
        Assert.True(pair.Client.Association.Counters.RetransmissionTimeouts > 10); // more than Association.Max.Retrans
        server.Reading = true;
        Assert.True(link.RunUntil(() => pair.Client.Association.TotalBufferedAmount == 0, 600_000_000));
        Assert.Equal(400, server.Received.Count);
    }

    /// <summary>An endpoint whose application polls events only when told to.</summary>
    private sealed class SlowReader(SctpAssociation association) : IPacketEndpoint
    {
        public bool Reading { get; set; }

        public List<byte[]> Received { get; } = [];

        public long NextTimeoutMicros => association.NextTimeoutMicros;

        public int PollTransmit(Span<byte> destination, long nowMicros) => association.PollTransmit(destination, nowMicros);

        public void HandleReceive(ReadOnlySpan<byte> packet, long nowMicros) => association.HandleReceive(packet, nowMicros);

        public void HandleTimeout(long nowMicros) => association.HandleTimeout(nowMicros);

        public void DrainEvents()
        {
            while ((Reading || Received.Count < 3) && association.PollEvent(out var ev))
            {
                if (ev.Kind == SctpEventKind.Message)
                {
                    Received.Add(ev.Data!);
                }
            }
        }
    }
}
