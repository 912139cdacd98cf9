using WebRtcAsr.Rtc.Sctp;

namespace WebRtcAsr.Rtc.Tests.Sctp;

public class HandshakeTests
{
    [Fact]
    public void Initiator_and_responder_establish_with_four_packets()
    {
        var pair = new AssociationPair();
        var seen = new List<SctpChunkType>();
        pair.Link.Intercept = (_, p) =>
        {
            seen.Add(AssociationPair.FirstChunk(p));
            return p;
        };
        pair.Connect();
        Assert.Equal([SctpChunkType.Init, SctpChunkType.InitAck, SctpChunkType.CookieEcho, SctpChunkType.CookieAck], seen);
        Assert.Contains(pair.Client.Events, e => e.Kind == SctpEventKind.Established);
        Assert.Contains(pair.Server.Events, e => e.Kind == SctpEventKind.Established);
        Assert.Equal(1024, pair.Client.Association.OutboundStreamCount);
        Assert.Equal(1024, pair.Server.Association.InboundStreamCount);
    }

    [Fact]
    public void Responder_keeps_no_state_until_cookie_echo()
    {
        var pair = new AssociationPair();
        pair.Link.Intercept = (toServer, p) => toServer && AssociationPair.FirstChunk(p) == SctpChunkType.CookieEcho ? null : p;
        pair.Client.Association.Connect(pair.Link.Now);
        pair.Link.RunUntil(() => false, 500_000);
        Assert.Equal(SctpAssociationState.Closed, pair.Server.Association.State);
        Assert.Equal(SctpAssociationState.CookieEchoed, pair.Client.Association.State);
    }

    [Fact]
    public void Lost_handshake_packets_are_retransmitted()
    {
        var pair = new AssociationPair();
        int dropped = 0;
        pair.Link.Intercept = (_, p) => dropped++ < 3 ? null : p; // INIT, INIT, then the INIT-ACK answer
        pair.Connect();
        Assert.True(dropped > 3);
    }

    [Fact]
    public void Tampered_cookie_is_rejected()
    {
        var pair = new AssociationPair();
        pair.Link.Intercept = (toServer, p) =>
        {
            if (toServer && AssociationPair.FirstChunk(p) == SctpChunkType.CookieEcho)
            {
                p[20] ^= 0x01; // inside the cookie (the timestamp)
                return AssociationPair.Reseal(p);
            }

            return p;
        };
        pair.Client.Association.Connect(pair.Link.Now);
        pair.Link.RunUntil(() => false, 2_000_000);
        Assert.NotEqual(SctpAssociationState.Established, pair.Server.Association.State);
        Assert.True(pair.Server.Association.Counters.CookiesRejected >= 1);
        Assert.Equal("cookie BadSignature", pair.Server.Association.Counters.LastDropReason);
    }

    [Fact]
    public void Expired_cookie_is_rejected_with_stale_cookie_error_and_the_handshake_restarts()
    {
        var pair = new AssociationPair();
        bool delayed = false;
        byte[]? held = null;
        pair.Link.Intercept = (toServer, p) =>
        {
            if (toServer && !delayed && AssociationPair.FirstChunk(p) == SctpChunkType.CookieEcho)
            {
                delayed = true;
                held = p;
                return null;
            }

            return p;
        };
        pair.Client.Association.Connect(pair.Link.Now);
        pair.Link.RunUntil(() => held is not null);

        // Deliver the cookie 61 s later, past its 60 s lifetime, straight to the server.
        pair.Server.Association.HandleReceive(held!, pair.Link.Now + 61_000_000);
        Assert.Equal(1, pair.Server.Association.Counters.CookiesRejected);
        Assert.Equal("cookie Expired", pair.Server.Association.Counters.LastDropReason);
        Assert.NotEqual(SctpAssociationState.Established, pair.Server.Association.State);

        // The Stale Cookie ERROR goes back; the client starts again and this time gets through.
        var buffer = new byte[1500];
        int n = pair.Server.Association.PollTransmit(buffer, pair.Link.Now);
        Assert.Equal(SctpChunkType.Error, AssociationPair.FirstChunk(buffer[..n]));
        pair.Client.Association.HandleReceive(buffer.AsSpan(0, n), pair.Link.Now);
        Assert.Equal(SctpAssociationState.CookieWait, pair.Client.Association.State);
        Assert.True(pair.Link.RunUntil(() => pair.Server.Association.State == SctpAssociationState.Established
            && pair.Client.Association.State == SctpAssociationState.Established));
    }

    [Fact]
    public void Both_ends_initiating_at_once_still_establish()
    {
        var pair = new AssociationPair();
        pair.Client.Association.Connect(pair.Link.Now);
        pair.Server.Association.Connect(pair.Link.Now);
        Assert.True(pair.Link.RunUntil(() => pair.Client.Association.State == SctpAssociationState.Established
            && pair.Server.Association.State == SctpAssociationState.Established));
        pair.Client.Association.Send(0, 51, "x"u8, default, pair.Link.Now);
        Assert.True(pair.Link.RunUntil(() => pair.Server.Messages(0).Any()));
    }

    [Fact]
    public void Unanswered_init_gives_up_after_max_init_retransmissions()
    {
        var pair = new AssociationPair();
        pair.Link.Intercept = (_, _) => null;
        pair.Client.Association.Connect(pair.Link.Now);
        pair.Link.RunUntil(() => pair.Client.Events.Any(e => e.Kind == SctpEventKind.Closed), 600_000_000);
        var closed = Assert.Single(pair.Client.Events, e => e.Kind == SctpEventKind.Closed);
        Assert.Equal("no answer to INIT", closed.Reason);
        Assert.Equal(long.MaxValue, pair.Client.Association.NextTimeoutMicros);
    }

    [Fact]
    public void Init_ack_with_a_cookie_too_big_to_echo_ends_the_handshake()
    {
        var client = new SctpAssociation();
        client.Connect(0);
        var buffer = new byte[1500];
        int n = client.PollTransmit(buffer, 0);
        Assert.Equal(SctpChunkType.Init, AssociationPair.FirstChunk(buffer[..n]));
        uint clientTag = System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(buffer.AsSpan(16));

        var initAck = new byte[4000];
        var writer = new SctpPacketWriter(initAck, 5000, 5000, clientTag);
        InitChunk.Write(ref writer, SctpChunkType.InitAck, 0x1234, 100_000, 16, 16, 1, new byte[2000], default);
        client.HandleReceive(initAck.AsSpan(0, writer.Finish()), 1000);
        Assert.Equal("aborted locally: state cookie does not fit a packet", client.CloseReason);
    }
}
