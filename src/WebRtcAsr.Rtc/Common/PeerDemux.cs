using System.Net;
using System.Net.Sockets;
using System.Text;
using WebRtcAsr.Rtc.Stun;

namespace WebRtcAsr.Rtc.Common;

/// <summary>
/// The routing table of the single UDP socket (sans-IO): remote address to peer, and local ICE ufrag
/// to peer for checks from addresses not seen yet. Addresses are learned only when the owner says
/// the peer validated them (<see cref="TryLearn"/>), so an unauthenticated packet cannot redirect
/// traffic. Bounded in peers and in addresses per peer; <see cref="Remove"/> forgets everything a
/// peer owned. A driver that receives into a reused <see cref="SocketAddress"/> can look peers up
/// with it and allocate nothing per datagram; IPv4 addresses are also found in their IPv4-mapped
/// IPv6 form, as a dual-mode socket reports them. One owner (the UDP driver); not thread-safe.
/// </summary>
public sealed class PeerDemux<TPeer>
    where TPeer : class
{
    private readonly Dictionary<string, TPeer> _byUfrag = new(StringComparer.Ordinal);
    private readonly Dictionary<string, TPeer>.AlternateLookup<ReadOnlySpan<char>> _byUfragSpan;
    private readonly Dictionary<IPEndPoint, TPeer> _byAddress = [];
    private readonly Dictionary<SocketAddress, TPeer> _bySocketAddress = [];
    private readonly Dictionary<TPeer, PeerEntry> _entries = new(ReferenceEqualityComparer.Instance);

    public PeerDemux(int maxPeers = 1024, int maxAddressesPerPeer = 8)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxPeers, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxAddressesPerPeer, 1);
        MaxPeers = maxPeers;
        MaxAddressesPerPeer = maxAddressesPerPeer;
        _byUfragSpan = _byUfrag.GetAlternateLookup<ReadOnlySpan<char>>();
    }

    public int MaxPeers { get; }

    public int MaxAddressesPerPeer { get; }

    public int PeerCount => _entries.Count;

    /// <summary>Distinct remote addresses routed (an IPv4 address counts once, whatever its forms).</summary>
    public int AddressCount => _entries.Values.Sum(e => e.Addresses.Count);

    /// <summary>Adds a peer under its local ICE ufrag; false when full or the ufrag is taken.</summary>
    public bool TryAdd(string localUfrag, TPeer peer)
    {
        ArgumentNullException.ThrowIfNull(localUfrag);
        ArgumentNullException.ThrowIfNull(peer);
        if (_entries.Count >= MaxPeers || _byUfrag.ContainsKey(localUfrag) || _entries.ContainsKey(peer))
        {
            return false;
        }

        _byUfrag.Add(localUfrag, peer);
        _entries.Add(peer, new PeerEntry(localUfrag));
        return true;
    }

    /// <summary>
    /// Finds the peer a datagram belongs to: by source address, else (for a STUN Binding request)
    /// by the local ufrag in its USERNAME. <paramref name="byUsername"/> says the second way was
    /// used: the peer should authenticate the request and then <see cref="TryLearn"/> the address.
    /// </summary>
    public bool TryFind(ReadOnlySpan<byte> datagram, IPEndPoint from, out TPeer? peer, out bool byUsername)
    {
        byUsername = false;
        if (_byAddress.TryGetValue(from, out peer))
        {
            return true;
        }

        return TryFindByUsername(datagram, out peer, out byUsername);
    }

    /// <summary>As <see cref="TryFind(ReadOnlySpan{byte}, IPEndPoint, out TPeer, out bool)"/>, keyed by the socket's own address form.</summary>
    public bool TryFind(ReadOnlySpan<byte> datagram, SocketAddress from, out TPeer? peer, out bool byUsername)
    {
        byUsername = false;
        if (_bySocketAddress.TryGetValue(from, out peer))
        {
            return true;
        }

        return TryFindByUsername(datagram, out peer, out byUsername);
    }

    private bool TryFindByUsername(ReadOnlySpan<byte> datagram, out TPeer? peer, out bool byUsername)
    {
        byUsername = false;
        if (StunUsernameReader.TryReadLocalUfrag(datagram, out var ufragBytes) && ufragBytes.Length <= 256)
        {
            Span<char> ufrag = stackalloc char[ufragBytes.Length];
            int chars = Encoding.ASCII.GetChars(ufragBytes, ufrag);
            if (_byUfragSpan.TryGetValue(ufrag[..chars], out peer))
            {
                byUsername = true;
                return true;
            }
        }

        peer = null;
        return false;
    }

    /// <summary>
    /// Routes <paramref name="address"/> to <paramref name="peer"/> from now on. A peer at its address
    /// limit forgets its oldest address. False when the peer is unknown or the address belongs to another peer.
    /// </summary>
    public bool TryLearn(IPEndPoint address, TPeer peer)
    {
        ArgumentNullException.ThrowIfNull(address);
        if (!_entries.TryGetValue(peer, out var entry))
        {
            return false;
        }

        address = Canonical(address);
        if (_byAddress.TryGetValue(address, out var owner))
        {
            return ReferenceEquals(owner, peer);
        }

        if (entry.Addresses.Count >= MaxAddressesPerPeer)
        {
            Forget(entry.Addresses.Dequeue());
        }

        entry.Addresses.Enqueue(address);
        foreach (var form in Forms(address))
        {
            _byAddress[form] = peer;
            _bySocketAddress[form.Serialize()] = peer;
        }

        return true;
    }

    /// <summary>Forgets a peer, its ufrag and all its addresses.</summary>
    public bool Remove(TPeer peer)
    {
        if (!_entries.Remove(peer, out var entry))
        {
            return false;
        }

        _byUfrag.Remove(entry.Ufrag);
        foreach (var address in entry.Addresses)
        {
            Forget(address);
        }

        return true;
    }

    private void Forget(IPEndPoint address)
    {
        foreach (var form in Forms(address))
        {
            _byAddress.Remove(form);
            _bySocketAddress.Remove(form.Serialize());
        }
    }

    /// <summary>IPv4 in its plain form; an IPv4-mapped IPv6 address becomes plain IPv4.</summary>
    private static IPEndPoint Canonical(IPEndPoint address) =>
        address.Address.IsIPv4MappedToIPv6 ? new IPEndPoint(address.Address.MapToIPv4(), address.Port) : address;

    /// <summary>The forms a socket may report an address in: IPv4 also as IPv4-mapped IPv6 (dual-mode sockets).</summary>
    private static IEnumerable<IPEndPoint> Forms(IPEndPoint canonical)
    {
        yield return canonical;
        if (canonical.AddressFamily == AddressFamily.InterNetwork)
        {
            yield return new IPEndPoint(canonical.Address.MapToIPv6(), canonical.Port);
        }
    }

    private sealed class PeerEntry(string ufrag)
    {
        public string Ufrag { get; } = ufrag;

        public Queue<IPEndPoint> Addresses { get; } = new();
    }
}
