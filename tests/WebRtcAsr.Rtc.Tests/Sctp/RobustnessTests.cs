using System.Buffers.Binary;
using WebRtcAsr.Rtc.Sctp;

namespace WebRtcAsr.Rtc.Tests.Sctp;

public class RobustnessTests
{
    /// <summary>Packets of a real session: handshake, data of several sizes, SACKs, reset, shutdown.</summary>
    private static List<(bool ToServer, byte[] Packet)> RecordSession(AssociationPair pair, bool shutdown = true)
    {
        var recorded = new List<(bool, byte[])>();
        pair.Link.Intercept = (toServer, p) =>
        {
            recorded.Add((toServer, (byte[])p.Clone()));
            return p;
        };
        pair.Connect();
        pair.Link.LossRate = 0.1;
        pair.Client.Association.Send(0, 51, new byte[3000], default, pair.Link.Now);
        pair.Client.Association.Send(1, 53, "x"u8, new SctpSendOptions(Unordered: true), pair.Link.Now);
        pair.Server.Association.Send(1, 53, new byte[100], new SctpSendOptions(MaxRetransmits: 0), pair.Link.Now);
        pair.Link.RunIdle(3_000_000);
        pair.Client.Association.ResetStreams([0]);
        pair.Link.RunIdle(3_000_000);
        if (shutdown)
        {
            pair.Client.Association.Shutdown(pair.Link.Now);
            pair.Link.RunIdle(3_000_000);
        }

        pair.Link.Intercept = null;
        pair.Link.LossRate = 0;
        return recorded;
    }

    [Fact]
    public void Bad_checksum_truncation_and_wrong_ports_are_dropped_and_counted()
    {
        var pair = new AssociationPair();
        pair.Connect();
        var server = pair.Server.Association;
        var buffer = new byte[1500];
        pair.Client.Association.Send(0, 51, "hello"u8, default, pair.Link.Now);
        int n = pair.Client.Association.PollTransmit(buffer, pair.Link.Now);
        var packet = buffer[..n];
        long dropped = server.Counters.PacketsDropped;

        var badCrc = (byte[])packet.Clone();
        badCrc[^1] ^= 1;
        server.HandleReceive(badCrc, pair.Link.Now);
        Assert.Equal("bad CRC-32C checksum", server.Counters.LastDropReason);

        server.HandleReceive(packet.AsSpan(0, 11), pair.Link.Now);
        server.HandleReceive([], pair.Link.Now);

        var wrongPort = (byte[])packet.Clone();
        wrongPort[3] = 0x89;
        server.HandleReceive(AssociationPair.Reseal(wrongPort), pair.Link.Now);
        Assert.Equal("wrong ports", server.Counters.LastDropReason);
        Assert.Equal(dropped + 4, server.Counters.PacketsDropped);

        // A truncated chunk (length beyond the packet) is counted; nothing is delivered from it.
        var truncated = AssociationPair.Reseal(packet.AsSpan(0, n - 4).ToArray());
        server.HandleReceive(truncated, pair.Link.Now);
        Assert.Empty(pair.Server.Messages(0));
        server.HandleReceive(packet, pair.Link.Now);
        pair.Server.DrainEvents();
        Assert.Single(pair.Server.Messages(0));
    }

    [Fact]
    public void Hostile_sack_and_data_fields_do_not_break_the_association()
    {
        var pair = new AssociationPair();
        pair.Connect();
        var client = pair.Client.Association;
        var server = pair.Server.Association;
        client.Send(0, 51, "a"u8, default, pair.Link.Now);
        var buffer = new byte[1500];
        int n = client.PollTransmit(buffer, pair.Link.Now);
        server.HandleReceive(buffer.AsSpan(0, n), pair.Link.Now);
        uint tag = BinaryPrimitives.ReadUInt32BigEndian(buffer.AsSpan(4));
        uint tsn = 0;
        var reader = new SctpChunkReader(buffer.AsSpan(0, n));
        while (reader.TryRead(out var chunk))
        {
            if (chunk.Type == (byte)SctpChunkType.Data)
            {
                tsn = BinaryPrimitives.ReadUInt32BigEndian(chunk.Value);
            }
        }

        // SACK from the server acknowledging TSNs never sent, with 1000 gap blocks claimed.
        var sack = Packet(BinaryPrimitives.ReadUInt32BigEndian(new byte[4]), SctpChunkType.Sack,
            [.. U32(tsn + 5000), .. U32(1000), 0x03, 0xE8, 0x00, 0x00]);
        var serverTag = ServerTagOf(pair);
        BinaryPrimitives.WriteUInt32BigEndian(sack.AsSpan(4), serverTag);
        client.HandleReceive(AssociationPair.Reseal(sack), pair.Link.Now);

        // DATA on a stream that does not exist (a TSN the client has not used yet), and DATA far beyond the window.
        server.HandleReceive(Packet(tag, SctpChunkType.Data, [.. U32(tsn + 100), 0xFF, 0xFF, 0, 0, .. U32(51), 0x41], flags: 3), pair.Link.Now);
        server.HandleReceive(Packet(tag, SctpChunkType.Data, [.. U32(tsn + 1_000_000), 0, 0, 0, 0, .. U32(51), 0x41], flags: 3), pair.Link.Now);
        // Unknown chunk types: 0x3F stops silently, 0xBF is skipped.
        server.HandleReceive(Packet(tag, (SctpChunkType)0x3F, [1, 2, 3, 4]), pair.Link.Now);
        server.HandleReceive(Packet(tag, (SctpChunkType)0x7F, [1, 2, 3, 4]), pair.Link.Now);

        pair.Link.RunIdle(2_000_000);
        client.Send(0, 51, "still fine"u8, default, pair.Link.Now);
        Assert.True(pair.Link.RunUntil(() => pair.Server.Messages(0).Any(e => e.Data!.Length == 10)));
        Assert.Equal(["a", "still fine"], pair.Server.Messages(0).Select(e => System.Text.Encoding.ASCII.GetString(e.Data!)));
        Assert.Equal(SctpAssociationState.Established, client.State);
        Assert.True(server.Counters.ChunksDropped >= 3);
    }

    [Fact]
    public void Unknown_chunk_with_report_bit_is_answered_with_an_error_chunk()
    {
        var pair = new AssociationPair();
        pair.Connect();
        var seen = new List<SctpChunkType>();
        pair.Link.Intercept = (toServer, p) =>
        {
            if (!toServer)
            {
                seen.Add(AssociationPair.FirstChunk(p));
            }

            return p;
        };
        var server = pair.Server.Association;
        uint clientTag = ClientTagOf(pair);
        server.HandleReceive(Packet(clientTag, (SctpChunkType)0x7F, [1, 2, 3, 4]), pair.Link.Now);
        pair.Link.RunIdle(1_000_000);
        Assert.Contains(SctpChunkType.Error, seen);
        Assert.Equal("unknown chunk type 127", server.Counters.LastDropReason);
    }

    [Fact]
    public void Seeded_mutation_fuzz_never_throws()
    {
        var session = RecordSession(new AssociationPair(3));
        var kinds = session.Select(s => AssociationPair.FirstChunk(s.Packet)).ToHashSet();
        Assert.Superset(new HashSet<SctpChunkType>
        {
            SctpChunkType.Init, SctpChunkType.InitAck, SctpChunkType.CookieEcho, SctpChunkType.CookieAck, SctpChunkType.Data,
            SctpChunkType.Sack, SctpChunkType.Reconfig, SctpChunkType.Shutdown, SctpChunkType.ShutdownAck, SctpChunkType.ShutdownComplete,
        }, kinds);

        var random = new Random(12345);
        var buffer = new byte[1500];
        for (int round = 0; round < 120; round++)
        {
            // Record a live exchange on this very pair, so replayed packets carry its tags and TSNs
            // and the mutations reach the chunk handlers, not just the tag check.
            var pair = new AssociationPair(round);
            var recorded = round % 3 == 0 ? session : RecordSession(pair, shutdown: false);
            var targets = new[] { pair.Client.Association, pair.Server.Association };
            for (int i = 0; i < 60; i++)
            {
                var (toServer, original) = recorded[random.Next(recorded.Count)];
                var packet = Mutate(random, (byte[])original.Clone());
                var target = targets[toServer ? 1 : 0];
                long now = pair.Link.Now + (i * 50_000);
                target.HandleReceive(packet, now);
                target.HandleTimeout(now);
                while (target.PollTransmit(buffer, now) > 0)
                {
                }

                while (target.PollEvent(out _))
                {
                }
            }
        }
    }

    private static byte[] Mutate(Random random, byte[] packet)
    {
        int mutations = random.Next(1, 4);
        for (int m = 0; m < mutations && packet.Length > 0; m++)
        {
            switch (random.Next(5))
            {
                case 0:
                    packet[random.Next(12, Math.Max(13, packet.Length)) % packet.Length] = (byte)random.Next(256);
                    break;
                case 1:
                    packet = packet[..random.Next(1, packet.Length + 1)];
                    break;
                case 2 when packet.Length > 16:
                    // Lie about a chunk or parameter length.
                    int at = 14 + (4 * random.Next((packet.Length - 14) / 4));
                    BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(Math.Min(at, packet.Length - 2)), (ushort)random.Next(65536));
                    break;
                case 3 when packet.Length > 16:
                    packet[12] = (byte)random.Next(256); // chunk type
                    break;
                default:
                    packet[random.Next(packet.Length)] ^= (byte)(1 << random.Next(8));
                    break;
            }
        }

        if (packet.Length >= 12 && random.Next(5) != 0)
        {
            SctpPacket.WriteChecksum(packet); // mostly valid checksums, to reach the chunk parsers
        }

        return packet;
    }

    private static uint ClientTagOf(AssociationPair pair) => TagFromTraffic(pair, toServer: true);

    private static uint ServerTagOf(AssociationPair pair) => TagFromTraffic(pair, toServer: false);

    // The tag a side puts on its packets is the tag the other side expects.
    private static uint TagFromTraffic(AssociationPair pair, bool toServer)
    {
        var from = toServer ? pair.Client.Association : pair.Server.Association;
        from.Send(9, 51, "t"u8, default, pair.Link.Now);
        var buffer = new byte[1500];
        int n = from.PollTransmit(buffer, pair.Link.Now);
        (toServer ? pair.Server.Association : pair.Client.Association).HandleReceive(buffer.AsSpan(0, n), pair.Link.Now);
        uint tag = BinaryPrimitives.ReadUInt32BigEndian(buffer.AsSpan(4));
        return toServer ? tag : tag;
    }

    private static byte[] U32(uint value)
    {
        var bytes = new byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(bytes, value);
        return bytes;
    }

    private static byte[] Packet(uint tag, SctpChunkType type, byte[] value, byte flags = 0)
    {
        var buffer = new byte[1500];
        var writer = new SctpPacketWriter(buffer, 5000, 5000, tag);
        int start = writer.BeginChunk((byte)type, flags);
        writer.WriteBytes(value);
        writer.EndChunk(start);
        return buffer[..writer.Finish()];
    }
}
