using System.Text;
using WebRtcAsr.Rtc.DataChannels;
using WebRtcAsr.Rtc.Sctp;
using WebRtcAsr.Rtc.Tests.Sctp;

namespace WebRtcAsr.Rtc.Tests.DataChannels;

public class DataChannelTransportTests
{
    [Fact]
    public void Channel_opened_by_the_client_uses_an_even_id_and_dcep()
    {
        var pair = new DataChannelPair();
        pair.Connect();
        var (local, remote) = pair.Open(fromClient: true, "captions");
        Assert.Equal(0, local.Id);
        Assert.Equal("captions", remote.Label);
        Assert.True(remote.Ordered && remote.IsReliable);
        Assert.Equal(DataChannelState.Open, remote.State);
        Assert.Single(pair.Client.Of(DataChannelEventKind.ChannelOpened));
        Assert.Single(pair.Server.Of(DataChannelEventKind.ChannelOpened));
    }

    [Fact]
    public void Channel_opened_by_the_server_uses_an_odd_id()
    {
        var pair = new DataChannelPair();
        pair.Connect();
        var (first, _) = pair.Open(fromClient: false, "a", new DataChannelOptions { Ordered = false, MaxRetransmits = 2, Protocol = "p" });
        var (second, remote) = pair.Open(fromClient: false, "b");
        Assert.Equal(1, first.Id);
        Assert.Equal(3, second.Id);
        var peerFirst = pair.Client.Transport.Channels.Single(c => c.Id == 1);
        Assert.False(peerFirst.Ordered);
        Assert.Equal(2, peerFirst.MaxRetransmits);
        Assert.Equal("p", peerFirst.Protocol);
        Assert.Equal("b", remote.Label);
    }

    [Fact]
    public void Channel_created_before_the_association_opens_once_it_is_up()
    {
        var pair = new DataChannelPair();
        var early = pair.Server.Transport.CreateChannel("early", null, pair.Now, out _)!;
        Assert.Equal(DataChannelState.Connecting, early.State);
        pair.Connect();
        Assert.True(pair.Link.RunUntil(() => early.State == DataChannelState.Open));
        Assert.Equal("early", Assert.Single(pair.Client.Of(DataChannelEventKind.ChannelOpened)).Channel!.Label);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(1200)]
    [InlineData((64 * 1024) + 1)]
    [InlineData(200 * 1024)]
    public void Binary_and_string_messages_both_ways(int size)
    {
        var pair = new DataChannelPair();
        pair.Connect();
        var (client, server) = pair.Open(fromClient: true, "data");
        var binary = AssociationPair.Pattern(size, size);
        var text = new string('é', size / 2) + "!";
        Assert.Equal(DataChannelSendStatus.Ok, pair.Client.Transport.Send(client, binary, isString: false, pair.Now));
        Assert.Equal(DataChannelSendStatus.Ok, pair.Server.Transport.SendText(server, text, pair.Now));
        Assert.True(pair.Link.RunUntil(() => pair.Server.MessagesOn(0).Count == 1 && pair.Client.MessagesOn(0).Count == 1));
        var atServer = pair.Server.MessagesOn(0).Single();
        Assert.False(atServer.IsString);
        Assert.Equal(binary, atServer.Data);
        var atClient = pair.Client.MessagesOn(0).Single();
        Assert.True(atClient.IsString);
        Assert.Equal(text, Encoding.UTF8.GetString(atClient.Data!));
    }

    [Fact]
    public void Empty_string_and_empty_binary_use_their_own_ppids()
    {
        var pair = new DataChannelPair();
        pair.Connect();
        var (client, _) = pair.Open(fromClient: true, "e");
        var ppids = new List<uint>();
        pair.Link.Intercept = (toServer, p) =>
        {
            if (toServer)
            {
                ppids.AddRange(DataChunksOf(p).Select(d => d.Ppid));
            }

            return p;
        };
        pair.Client.Transport.Send(client, [], isString: true, pair.Now);
        pair.Client.Transport.Send(client, [], isString: false, pair.Now);
        Assert.True(pair.Link.RunUntil(() => pair.Server.MessagesOn(0).Count == 2));
        var got = pair.Server.MessagesOn(0);
        Assert.True(got[0].IsString);
        Assert.Empty(got[0].Data!);
        Assert.False(got[1].IsString);
        Assert.Empty(got[1].Data!);
        Assert.Equal([DataChannelPpid.StringEmpty, DataChannelPpid.BinaryEmpty], ppids);
    }

    private static List<(uint Ppid, ushort Stream, byte[] Payload)> DataChunksOf(byte[] packet)
    {
        var found = new List<(uint, ushort, byte[])>();
        var reader = new SctpChunkReader(packet);
        while (reader.TryRead(out var chunk))
        {
            if (chunk.Type == (byte)SctpChunkType.Data && DataChunk.TryParse(chunk.Flags, chunk.Value, out var data, out _))
            {
                found.Add((data.Ppid, data.StreamId, data.UserData.ToArray()));
            }
        }

        return found;
    }

    [Fact]
    public void Unordered_partially_reliable_and_ordered_channels_under_loss()
    {
        var pair = new DataChannelPair(17);
        pair.Connect();
        var (ordered, _) = pair.Open(fromClient: true, "ordered");
        var (unordered, _) = pair.Open(fromClient: true, "unordered", new DataChannelOptions { Ordered = false });
        pair.Link.LossRate = 0.15;
        pair.Link.ReorderRate = 0.2;
        pair.Link.DuplicateRate = 0.1;
        for (int i = 0; i < 100; i++)
        {
            pair.Client.Transport.Send(ordered, BitConverter.GetBytes(i), false, pair.Now);
            pair.Client.Transport.Send(unordered, BitConverter.GetBytes(i).Concat(new byte[i * 31]).ToArray(), false, pair.Now);
        }

        Assert.True(pair.Link.RunUntil(() => pair.Server.MessagesOn(ordered.Id).Count == 100 && pair.Server.MessagesOn(unordered.Id).Count == 100,
            600_000_000));
        Assert.Equal(Enumerable.Range(0, 100), pair.Server.MessagesOn(ordered.Id).Select(e => BitConverter.ToInt32(e.Data)));
        Assert.Equal(Enumerable.Range(0, 100), pair.Server.MessagesOn(unordered.Id).Select(e => BitConverter.ToInt32(e.Data)).Order());
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Close_from_either_side_closes_both_and_frees_the_id(bool clientCloses)
    {
        var pair = new DataChannelPair();
        pair.Connect();
        var (clientChannel, serverChannel) = pair.Open(fromClient: true, "c");
        pair.Client.Transport.SendText(clientChannel, "last words", pair.Now);
        if (clientCloses)
        {
            pair.Client.Transport.Close(clientChannel);
        }
        else
        {
            pair.Link.RunUntil(() => pair.Server.MessagesOn(0).Count == 1);
            pair.Server.Transport.Close(serverChannel);
        }

        Assert.Equal(DataChannelState.Closing, clientCloses ? clientChannel.State : serverChannel.State);
        Assert.Equal(DataChannelSendStatus.ChannelNotOpen,
            clientCloses ? pair.Client.Transport.SendText(clientChannel, "x", pair.Now) : pair.Server.Transport.SendText(serverChannel, "x", pair.Now));
        Assert.True(pair.Link.RunUntil(() => clientChannel.State == DataChannelState.Closed && serverChannel.State == DataChannelState.Closed));
        Assert.Single(pair.Client.Of(DataChannelEventKind.ChannelClosed));
        Assert.Single(pair.Server.Of(DataChannelEventKind.ChannelClosed));
        Assert.Equal("last words", Encoding.UTF8.GetString(pair.Server.MessagesOn(0).Single().Data!));
        // The message came before the close on the server.
        var serverKinds = pair.Server.Events.Select(e => e.Kind).ToList();
        Assert.True(serverKinds.IndexOf(DataChannelEventKind.Message) < serverKinds.IndexOf(DataChannelEventKind.ChannelClosed));

        // Stream 0 is free again and starts from SSN 0 on both sides.
        var (again, remote) = pair.Open(fromClient: true, "c2");
        Assert.Equal(0, again.Id);
        Assert.Equal(DataChannelSendStatus.ChannelNotOpen, pair.Client.Transport.SendText(clientChannel, "stale object", pair.Now));
        pair.Client.Transport.SendText(again, "hello again", pair.Now);
        Assert.True(pair.Link.RunUntil(() => pair.Server.MessagesOn(0).Count == 2));
        Assert.Equal("c2", pair.Server.MessagesOn(0)[1].Channel!.Label);
        Assert.Same(remote, pair.Server.MessagesOn(0)[1].Channel);
    }

    [Fact]
    public void Shutdown_closes_every_channel_and_reports_the_association()
    {
        var pair = new DataChannelPair();
        pair.Connect();
        pair.Open(fromClient: true, "a");
        pair.Open(fromClient: false, "b");
        pair.Server.Transport.Shutdown(pair.Now);
        Assert.True(pair.Link.RunUntil(() => pair.Client.Of(DataChannelEventKind.AssociationClosed).Count == 1
            && pair.Server.Of(DataChannelEventKind.AssociationClosed).Count == 1));
        Assert.Equal(2, pair.Client.Of(DataChannelEventKind.ChannelClosed).Count);
        Assert.Equal("shutdown complete", pair.Client.Of(DataChannelEventKind.AssociationClosed)[0].Reason);
        Assert.Empty(pair.Client.Transport.Channels);
    }

    [Fact]
    public void Abort_reaches_the_peer_with_its_reason()
    {
        var pair = new DataChannelPair();
        pair.Connect();
        pair.Open(fromClient: true, "a");
        pair.Client.Transport.Abort("tab closed");
        Assert.True(pair.Link.RunUntil(() => pair.Server.Of(DataChannelEventKind.AssociationClosed).Count == 1));
        Assert.Equal("aborted by peer: User-Initiated Abort: tab closed", pair.Server.Of(DataChannelEventKind.AssociationClosed)[0].Reason);
        Assert.Single(pair.Server.Of(DataChannelEventKind.ChannelClosed));
    }

    [Fact]
    public void Limits_are_enforced_with_clear_answers()
    {
        var pair = new DataChannelPair(serverOptions: new DataChannelTransportOptions
        {
            MaxChannels = 2,
            Sctp = new SctpOptions { MaxMessageSize = 1000 },
        });
        pair.Connect();
        var (a, _) = pair.Open(fromClient: false, "a");
        pair.Open(fromClient: false, "b");
        Assert.Null(pair.Server.Transport.CreateChannel("c", null, pair.Now, out string? error));
        Assert.Equal("too many channels (limit 2)", error);
        Assert.Equal(DataChannelSendStatus.MessageTooLarge, pair.Server.Transport.Send(a, new byte[1001], false, pair.Now));
        Assert.Null(pair.Server.Transport.CreateChannel("x", new DataChannelOptions { MaxRetransmits = 1, MaxPacketLifeTimeMs = 1 }, pair.Now, out error));

        // A third channel from the client is refused by the full server, and closed again on the client.
        var refused = pair.Client.Transport.CreateChannel("third", null, pair.Now, out _)!;
        Assert.True(pair.Link.RunUntil(() => refused.State == DataChannelState.Closed));
        Assert.Equal(2, pair.Server.Transport.Channels.Count);
    }

    [Fact]
    public void Open_on_the_wrong_parity_is_refused()
    {
        var pair = new DataChannelPair();
        pair.Connect();
        // The client (DTLS client) must use even ids; an OPEN on 5 is the server's parity.
        var open = new DataChannelOpen(DataChannelType.Reliable, 0, 0, "sneaky", "").ToArray();
        pair.Client.Transport.Association.Send(5, DataChannelPpid.Dcep, open, default, pair.Now);
        pair.Link.RunIdle(2_000_000);
        Assert.Empty(pair.Server.Of(DataChannelEventKind.ChannelOpened));
        Assert.Equal("OPEN on stream 5 of our parity", pair.Server.Transport.LastDropReason);
    }

    [Fact]
    public void Chrome_open_bytes_create_the_captions_channel_and_get_an_ack()
    {
        var pair = new DataChannelPair();
        pair.Connect();
        byte[] chromeOpen = [0x03, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x08, 0x00, 0x00, .. "captions"u8];
        var fromServer = new List<(uint Ppid, ushort Stream, byte[] Payload)>();
        pair.Link.Intercept = (toServer, p) =>
        {
            if (!toServer)
            {
                fromServer.AddRange(DataChunksOf(p));
            }

            return p;
        };
        pair.Client.Transport.Association.Send(0, DataChannelPpid.Dcep, chromeOpen, default, pair.Now);
        Assert.True(pair.Link.RunUntil(() => pair.Server.Of(DataChannelEventKind.ChannelOpened).Count == 1 && fromServer.Count == 1));
        var channel = pair.Server.Of(DataChannelEventKind.ChannelOpened)[0].Channel!;
        Assert.Equal(("captions", (ushort)0, true, true), (channel.Label, channel.Id, channel.Ordered, channel.IsReliable));
        // DATA_CHANNEL_ACK: one byte 0x02, PPID 50, same stream.
        Assert.Equal((DataChannelPpid.Dcep, (ushort)0), (fromServer[0].Ppid, fromServer[0].Stream));
        Assert.Equal(new byte[] { 0x02 }, fromServer[0].Payload);
    }

    [Fact]
    public void Legacy_partial_ppids_are_joined_into_one_message()
    {
        var pair = new DataChannelPair();
        pair.Connect();
        var (client, _) = pair.Open(fromClient: true, "legacy");
        var association = pair.Client.Transport.Association;
        association.Send(client.Id, DataChannelPpid.StringPartial, "hel"u8, default, pair.Now);
        association.Send(client.Id, DataChannelPpid.StringPartial, "lo "u8, default, pair.Now);
        association.Send(client.Id, DataChannelPpid.String, "world"u8, default, pair.Now);
        association.Send(client.Id, 99, "unknown ppid"u8, default, pair.Now);
        Assert.True(pair.Link.RunUntil(() => pair.Server.MessagesOn(0).Count == 1 && pair.Server.Transport.MessagesDropped == 1));
        Assert.Equal("hello world", Encoding.UTF8.GetString(pair.Server.MessagesOn(0)[0].Data!));
        Assert.Equal("unknown PPID 99 on channel 0", pair.Server.Transport.LastDropReason);
    }

    [Fact]
    public void Negotiated_channels_skip_dcep()
    {
        var pair = new DataChannelPair();
        pair.Connect();
        var a = pair.Client.Transport.CreateChannel("n", new DataChannelOptions { NegotiatedId = 7 }, pair.Now, out _)!;
        var b = pair.Server.Transport.CreateChannel("n", new DataChannelOptions { NegotiatedId = 7 }, pair.Now, out _)!;
        Assert.Equal(DataChannelState.Open, a.State);
        pair.Client.Transport.SendText(a, "pre-agreed", pair.Now);
        Assert.True(pair.Link.RunUntil(() => pair.Server.MessagesOn(7).Count == 1));
        Assert.Same(b, pair.Server.MessagesOn(7)[0].Channel);
        Assert.Empty(pair.Server.Of(DataChannelEventKind.ChannelOpened));
    }

    [Fact]
    public void Buffered_amount_rises_and_drains()
    {
        var pair = new DataChannelPair();
        pair.Connect();
        var (channel, _) = pair.Open(fromClient: true, "buf");
        pair.Client.Transport.Send(channel, new byte[50_000], false, pair.Now);
        Assert.Equal(50_000, channel.BufferedAmount);
        Assert.True(pair.Link.RunUntil(() => channel.BufferedAmount == 0));
        Assert.Single(pair.Server.MessagesOn(channel.Id));
    }
}
