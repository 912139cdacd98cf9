using System.Net;

namespace WebRtcAsr.Rtc.Transport;

/// <summary>Where the WebRTC UDP socket listens and the limits of what it serves.</summary>
public sealed record UdpPeerTransportOptions
{
    /// <summary>Local address and port; port 0 picks a free one. IPv6Any makes a dual-mode socket.</summary>
    public IPEndPoint LocalEndPoint { get; init; } = new(IPAddress.Any, 0);

    /// <summary>Peers served at once (the demux table's size).</summary>
    public int MaxPeers { get; init; } = 1000;

    /// <summary>Peers not yet connected at once (offers answered but no DTLS yet): bounds handshake work an attacker can cause.</summary>
    public int MaxPendingHandshakes { get; init; } = 100;

    /// <summary>Datagrams and commands queued per peer; more are dropped and counted.</summary>
    public int PeerQueueLength { get; init; } = 256;

    /// <summary>Remote addresses remembered per peer.</summary>
    public int MaxAddressesPerPeer { get; init; } = 8;

    /// <summary>Socket buffer sizes (bytes); 0 keeps the system default.</summary>
    public int SocketBufferBytes { get; init; } = 4 * 1024 * 1024;

    /// <summary>Log lines per reason and interval for bad input; the rest are counted.</summary>
    public int LogBurst { get; init; } = 5;

    public TimeSpan LogInterval { get; init; } = TimeSpan.FromSeconds(10);
}
