using WebRtcAsr.Rtc.Sctp;

namespace WebRtcAsr.Rtc.Tests.Sctp;

public class LifecycleTests
{
    [Fact]
    public void Shutdown_delivers_pending_data_then_runs_the_three_way_close()
    {
        var pair = new AssociationPair();
        pair.Connect();
        var chunks = new List<SctpChunkType>();
        pair.Link.Intercept = (_, p) =>
        {
            chunks.Add(AssociationPair.FirstChunk(p));
            return p;
        };
        var big = AssociationPair.Pattern(100_000, 3);
        pair.Client.Association.Send(0, 53, big, default, pair.Link.Now);
        pair.Client.Association.Shutdown(pair.Link.Now);
        Assert.Equal(SctpSendStatus.NotConnected, pair.Client.Association.Send(0, 53, "late"u8, default, pair.Link.Now));
        Assert.True(pair.Link.RunUntil(() => pair.Client.Events.Any(e => e.Kind == SctpEventKind.Closed)
            && pair.Server.Events.Any(e => e.Kind == SctpEventKind.Closed)));
        Assert.Equal(big, Assert.Single(pair.Server.Messages(0)).Data);
        var tail = chunks.Where(c => c is SctpChunkType.Shutdown or SctpChunkType.ShutdownAck or SctpChunkType.ShutdownComplete).ToList();
        Assert.Equal([SctpChunkType.Shutdown, SctpChunkType.ShutdownAck, SctpChunkType.ShutdownComplete], tail);
        Assert.Equal("shutdown complete", pair.Client.Association.CloseReason);
        Assert.Equal("shutdown complete", pair.Server.Association.CloseReason);
        Assert.Equal(long.MaxValue, pair.Server.Association.NextTimeoutMicros);
    }

    [Fact]
    public void Shutdown_survives_loss()
    {
        var pair = new AssociationPair(5);
        pair.Connect();
        pair.Link.LossRate = 0.3;
        pair.Server.Association.Send(1, 51, "bye"u8, default, pair.Link.Now);
        pair.Server.Association.Shutdown(pair.Link.Now);
        Assert.True(pair.Link.RunUntil(() => pair.Client.Association.CloseReason is not null && pair.Server.Association.CloseReason is not null,
            600_000_000));
        Assert.Single(pair.Client.Messages(1));
    }

    [Fact]
    public void Abort_carries_the_reason_to_the_peer()
    {
        var pair = new AssociationPair();
        pair.Connect();
        pair.Server.Association.Abort("server restarting");
        Assert.True(pair.Link.RunUntil(() => pair.Client.Events.Any(e => e.Kind == SctpEventKind.Closed)));
        Assert.Equal("aborted by peer: User-Initiated Abort: server restarting",
            pair.Client.Events.Single(e => e.Kind == SctpEventKind.Closed).Reason);
        Assert.Equal("aborted locally: server restarting", pair.Server.Association.CloseReason);
    }

    [Fact]
    public void Abort_with_a_wrong_tag_is_ignored()
    {
        var pair = new AssociationPair();
        pair.Connect();
        pair.Link.Intercept = (toServer, p) =>
        {
            if (!toServer && AssociationPair.FirstChunk(p) == SctpChunkType.Abort)
            {
                p[4] ^= 0xFF; // verification tag
                return AssociationPair.Reseal(p);
            }

            return p;
        };
        pair.Server.Association.Abort("x");
        pair.Link.RunIdle(1_000_000);
        Assert.Equal(SctpAssociationState.Established, pair.Client.Association.State);
        Assert.Equal("bad verification tag", pair.Client.Association.Counters.LastDropReason);
    }

    [Fact]
    public void Idle_association_exchanges_heartbeats_and_measures_rtt()
    {
        var pair = new AssociationPair();
        pair.Connect();
        pair.Link.RunUntil(() => false, 65_000_000);
        Assert.True(pair.Client.Association.Counters.HeartbeatsSent >= 1);
        Assert.Equal(pair.Client.Association.Counters.HeartbeatsSent, pair.Client.Association.Counters.HeartbeatAcksReceived);
        Assert.Equal(20_000, pair.Client.Association.SmoothedRttMicros); // two 10 ms hops
        Assert.Equal(SctpAssociationState.Established, pair.Client.Association.State);
    }

    [Fact]
    public void Silent_peer_is_declared_unreachable()
    {
        var pair = new AssociationPair();
        pair.Connect();
        pair.Link.Intercept = (toServer, p) => toServer ? null : p;
        pair.Client.Association.Send(0, 51, "anyone?"u8, default, pair.Link.Now);
        pair.Link.RunUntil(() => pair.Client.Association.CloseReason is not null, 3_600_000_000);
        Assert.StartsWith("peer unreachable: retransmission timeouts", pair.Client.Association.CloseReason);
        Assert.Equal(0, pair.Client.Association.TotalBufferedAmount);
    }

    [Fact]
    public void Stream_reset_runs_both_ways_and_ssn_restarts_at_zero()
    {
        var pair = new AssociationPair();
        pair.Connect();
        var client = pair.Client.Association;
        client.Send(3, 51, "one"u8, default, pair.Link.Now);
        client.Send(3, 51, "two"u8, default, pair.Link.Now);
        Assert.True(client.ResetStreams([3]));
        Assert.Equal(SctpSendStatus.StreamResetPending, client.Send(3, 51, "three"u8, default, pair.Link.Now));
        Assert.True(pair.Link.RunUntil(() => pair.Client.Events.Any(e => e.Kind == SctpEventKind.OutgoingStreamsReset)));
        var incoming = Assert.Single(pair.Server.Events, e => e.Kind == SctpEventKind.IncomingStreamsReset);
        Assert.Equal(new ushort[] { 3 }, incoming.Streams);
        // The data sent before the reset arrived before the reset was reported.
        var serverKinds = pair.Server.Events.Where(e => e.Kind != SctpEventKind.Established).Select(e => e.Kind).ToList();
        Assert.Equal([SctpEventKind.Message, SctpEventKind.Message, SctpEventKind.IncomingStreamsReset], serverKinds);

        // The stream is usable again from SSN 0.
        Assert.Equal(SctpSendStatus.Ok, client.Send(3, 51, "again"u8, default, pair.Link.Now));
        Assert.True(pair.Link.RunUntil(() => pair.Server.Messages(3).Count() == 3));
        Assert.Equal("again"u8.ToArray(), pair.Server.Messages(3).Last().Data);
    }

    [Fact]
    public void Stream_reset_is_deferred_until_earlier_data_arrives()
    {
        var pair = new AssociationPair(11);
        pair.Connect();
        int dataSeen = 0;
        pair.Link.Intercept = (toServer, p) =>
            toServer && AssociationPair.FirstChunk(p) == SctpChunkType.Data && ++dataSeen == 1 ? null : p;
        var client = pair.Client.Association;
        client.Send(4, 53, new byte[3000], default, pair.Link.Now);
        client.ResetStreams([4]);
        Assert.True(pair.Link.RunUntil(() => pair.Client.Events.Any(e => e.Kind == SctpEventKind.OutgoingStreamsReset)));
        var kinds = pair.Server.Events.Where(e => e.Kind != SctpEventKind.Established).Select(e => e.Kind).ToList();
        Assert.Equal([SctpEventKind.Message, SctpEventKind.IncomingStreamsReset], kinds);
    }

    [Fact]
    public void Partially_reliable_messages_are_abandoned_and_skipped_with_forward_tsn()
    {
        var pair = new AssociationPair(21);
        pair.Connect();
        pair.Link.LossRate = 0.3;
        var client = pair.Client.Association;
        for (int i = 0; i < 60; i++)
        {
            var message = BitConverter.GetBytes(i).Concat(new byte[2000]).ToArray();
            client.Send(8, 53, message, new SctpSendOptions(MaxRetransmits: 0), pair.Link.Now);
        }

        pair.Link.RunUntil(() => client.TotalBufferedAmount == 0, 600_000_000);
        pair.Link.LossRate = 0;
        client.Send(8, 53, BitConverter.GetBytes(1000), new SctpSendOptions(MaxRetransmits: 0), pair.Link.Now);
        Assert.True(pair.Link.RunUntil(() => pair.Server.Messages(8).Any(e => BitConverter.ToInt32(e.Data) == 1000)));

        var got = pair.Server.Messages(8).Select(e => BitConverter.ToInt32(e.Data)).ToList();
        Assert.True(client.Counters.MessagesAbandoned > 0);
        Assert.True(got.Count < 61);
        Assert.Equal(got.Order().Distinct(), got); // ordered, no duplicates, gaps allowed
    }

    [Fact]
    public void Expired_lifetime_messages_are_dropped_before_sending()
    {
        var pair = new AssociationPair();
        pair.Connect();
        pair.Link.Intercept = (toServer, p) => toServer && AssociationPair.FirstChunk(p) is SctpChunkType.Data ? null : p;
        var client = pair.Client.Association;
        client.Send(2, 53, new byte[500], new SctpSendOptions(Unordered: true, LifetimeMicros: 300_000), pair.Link.Now);
        pair.Link.RunUntil(() => client.TotalBufferedAmount == 0, 5_000_000);
        Assert.Equal(0, client.TotalBufferedAmount);
        Assert.Equal(1, client.Counters.MessagesAbandoned);
        pair.Link.Intercept = null;
        client.Send(2, 53, "after"u8, default, pair.Link.Now);
        Assert.True(pair.Link.RunUntil(() => pair.Server.Messages(2).Any()));
        Assert.Equal("after"u8.ToArray(), Assert.Single(pair.Server.Messages(2)).Data);
    }

    [Fact]
    public void Message_larger_than_our_limit_aborts_the_association()
    {
        var pair = new AssociationPair(clientOptions: new SctpOptions { MaxMessageSize = 300_000 },
            serverOptions: new SctpOptions { MaxMessageSize = 64 * 1024 });
        pair.Connect();
        pair.Client.Association.Send(0, 53, new byte[100_000], default, pair.Link.Now);
        Assert.True(pair.Link.RunUntil(() => pair.Client.Association.CloseReason is not null));
        Assert.Equal("aborted by peer: Protocol Violation: message on stream 0 exceeds the maximum message size 65536",
            pair.Client.Association.CloseReason);
        Assert.Empty(pair.Server.Messages(0));
    }

    [Fact]
    public void Rto_backs_off_during_an_outage_and_recovers_after_it()
    {
        var pair = new AssociationPair();
        pair.Connect();
        var client = pair.Client.Association;
        client.Send(0, 53, new byte[100], default, pair.Link.Now);
        Assert.True(pair.Link.RunUntil(() => client.TotalBufferedAmount == 0));
        long normal = client.RtoMicros;
        Assert.InRange(normal, 400_000, 999_999); // one sample (RTT plus delayed SACK) replaced RTO.Initial

        pair.Link.Intercept = (_, _) => null;
        client.Send(0, 53, new byte[100], default, pair.Link.Now);
        pair.Link.RunUntil(() => client.Counters.RetransmissionTimeouts >= 4, 60_000_000);
        Assert.Equal(normal * 16, client.RtoMicros); // doubled on each of four expiries

        pair.Link.Intercept = null;
        Assert.True(pair.Link.RunUntil(() => client.TotalBufferedAmount == 0, 120_000_000));
        Assert.Equal(normal * 16, client.RtoMicros); // Karn: the retransmitted chunk gave no sample
        for (int i = 0; i < 5; i++)
        {
            client.Send(0, 53, new byte[100], default, pair.Link.Now);
            Assert.True(pair.Link.RunUntil(() => client.TotalBufferedAmount == 0, 10_000_000));
        }

        Assert.InRange(client.RtoMicros, 400_000, 999_999); // fresh samples brought it back under a second
        Assert.Equal(SctpAssociationState.Established, client.State);
    }
}
