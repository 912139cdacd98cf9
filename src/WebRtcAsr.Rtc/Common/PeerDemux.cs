using System.Net;
using System.Text;
using WebRtcAsr.Rtc.Stun;

namespace WebRtcAsr.Rtc.Common;

/// <summary>
/// The routing table of the single UDP socket (sans-IO): remote address to peer, and local ICE ufrag
/// to peer for checks from addresses not seen yet. Addresses are learned only when the owner says
/// the peer validated them (<see cref="TryLearn"/>), so an unauthenticated packet cannot redirect
/// traffic. Bounded in peers and in addresses per peer; <see cref="Remove"/> forgets everything a
/// peer owned. One owner (the UDP driver); not thread-safe.
/// </summary>
public sealed class PeerDemux<TPeer>
    where TPeer : class
{
    private readonly Dictionary<string, TPeer> _byUfrag = new(StringComparer.Ordinal);
    private readonly Dictionary<string, TPeer>.AlternateLookup<ReadOnlySpan<char>> _byUfragSpan;
    private readonly Dictionary<IPEndPoint, TPeer> _byAddress = [];
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

    public int AddressCount => _byAddress.Count;

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

        if (_byAddress.TryGetValue(address, out var owner))
        {
            return ReferenceEquals(owner, peer);
        }

        if (entry.Addresses.Count >= MaxAddressesPerPeer)
        {
            _byAddress.Remove(entry.Addresses.Dequeue());
        }

        entry.Addresses.Enqueue(address);
        _byAddress.Add(address, peer);
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
            _byAddress.Remove(address);
        }

        return true;
    }

    private sealed class PeerEntry(string ufrag)
    {
        public string Ufrag { get; } = ufrag;

        public Queue<IPEndPoint> Addresses { get; } = new();
    }
}
