using System.Net;
using WebRtcAsr.Rtc.Common;
using WebRtcAsr.Rtc.Ice;
using WebRtcAsr.TestSupport;

namespace WebRtcAsr.Rtc.Tests.Ice;

public class PeerDemuxTests
{
    private sealed class Peer(string name)
    {
        public string Name { get; } = name;

        public IceLiteAgent Agent { get; } = new(new IceCredentials(name + "uf", name + "-password-0123456789"), 0);
    }

    private static readonly IPEndPoint A = IPEndPoint.Parse("192.0.2.1:1000");
    private static readonly IPEndPoint B = IPEndPoint.Parse("192.0.2.2:2000");

    private static byte[] CheckFor(Peer peer) =>
        new ControllingPeer(peer.Agent.Local.Ufrag, peer.Agent.Local.Pwd).Request(out _, useCandidate: true);

    [Fact]
    public void Unknown_address_is_routed_by_ufrag_then_learned_after_the_agent_validates_it()
    {
        var demux = new PeerDemux<Peer>();
        var one = new Peer("one");
        var two = new Peer("two");
        Assert.True(demux.TryAdd(one.Agent.Local.Ufrag, one));
        Assert.True(demux.TryAdd(two.Agent.Local.Ufrag, two));

        byte[] check = CheckFor(two);
        Assert.True(demux.TryFind(check, A, out var found, out bool byUsername));
        Assert.Same(two, found);
        Assert.True(byUsername);

        // The driver hands the datagram to the peer; the agent authenticates it and says so.
        Assert.True(found!.Agent.HandleReceive(check, A, 0));
        while (found.Agent.TryPollEvent(out var e))
        {
            if (e.Kind == IceEventKind.RemoteAddressValidated)
            {
                Assert.True(demux.TryLearn(e.Remote!, found));
            }
        }

        // Media from that address now routes by address.
        Assert.True(demux.TryFind([0x80, 111, 0, 0], A, out found, out byUsername));
        Assert.Same(two, found);
        Assert.False(byUsername);
        Assert.False(demux.TryFind([0x80, 111, 0, 0], B, out _, out _));
    }

    [Fact]
    public void Check_for_an_unknown_ufrag_or_non_stun_from_unknown_address_finds_nothing()
    {
        var demux = new PeerDemux<Peer>();
        var one = new Peer("one");
        demux.TryAdd(one.Agent.Local.Ufrag, one);
        var stranger = new Peer("xyz");
        Assert.False(demux.TryFind(CheckFor(stranger), A, out var peer, out _));
        Assert.Null(peer);
        Assert.False(demux.TryFind([22, 0xfe, 0xfd], A, out _, out _));
    }

    [Fact]
    public void Address_of_one_peer_cannot_be_taken_by_another()
    {
        var demux = new PeerDemux<Peer>();
        var one = new Peer("one");
        var two = new Peer("two");
        demux.TryAdd("u1", one);
        demux.TryAdd("u2", two);
        Assert.True(demux.TryLearn(A, one));
        Assert.False(demux.TryLearn(A, two));
        Assert.True(demux.TryLearn(A, one));
        Assert.Equal(1, demux.AddressCount);
    }

    [Fact]
    public void Tables_are_bounded_and_removal_leaves_nothing_behind()
    {
        var demux = new PeerDemux<Peer>(maxPeers: 2, maxAddressesPerPeer: 3);
        var one = new Peer("one");
        var two = new Peer("two");
        Assert.True(demux.TryAdd("u1", one));
        Assert.False(demux.TryAdd("u1", two)); // ufrag taken
        Assert.True(demux.TryAdd("u2", two));
        Assert.False(demux.TryAdd("u3", new Peer("three"))); // full

        for (int port = 1; port <= 5; port++)
        {
            Assert.True(demux.TryLearn(new IPEndPoint(IPAddress.Loopback, port), one));
        }

        Assert.Equal(3, demux.AddressCount); // the two oldest were forgotten
        Assert.False(demux.TryFind([0x80, 0], new IPEndPoint(IPAddress.Loopback, 1), out _, out _));
        Assert.True(demux.TryFind([0x80, 0], new IPEndPoint(IPAddress.Loopback, 5), out _, out _));

        Assert.True(demux.Remove(one));
        Assert.False(demux.Remove(one));
        Assert.Equal(0, demux.AddressCount);
        Assert.Equal(1, demux.PeerCount);
        Assert.False(demux.TryLearn(A, one));
        Assert.True(demux.TryAdd("u1", new Peer("again")));
    }

    [Fact]
    public void Socket_address_lookup_finds_plain_and_ipv4_mapped_forms_without_allocating()
    {
        var demux = new PeerDemux<Peer>();
        var one = new Peer("one");
        demux.TryAdd("u1", one);
        Assert.True(demux.TryLearn(new IPEndPoint(IPAddress.Parse("192.0.2.1").MapToIPv6(), 1000), one)); // learned in mapped form

        SocketAddress plain = A.Serialize();
        SocketAddress mapped = new IPEndPoint(A.Address.MapToIPv6(), A.Port).Serialize();
        byte[] rtp = [0x80, 111, 0, 0];
        Assert.True(demux.TryFind(rtp, plain, out var found, out _));
        Assert.Same(one, found);
        Assert.True(demux.TryFind(rtp, mapped, out found, out _));
        Assert.Same(one, found);
        Assert.True(demux.TryFind(rtp, A, out found, out _));
        Assert.Equal(1, demux.AddressCount);

        Assert.Equal(0, SteadyStateAllocation.Measure(() =>
        {
            for (int i = 0; i < 1000; i++)
            {
                demux.TryFind(rtp, plain, out _, out _);
            }
        }));

        demux.Remove(one);
        Assert.False(demux.TryFind(rtp, plain, out _, out _));
        Assert.False(demux.TryFind(rtp, mapped, out _, out _));
    }
}
