namespace WebRtcAsr.Server.Signaling;

/// <summary>The "WebRtc" configuration section: where the UDP port listens, what the answers announce, limits.</summary>
public sealed class WebRtcOptions
{
    public const string Section = "WebRtc";

    /// <summary>UDP port for all peers (STUN, DTLS, SRTP, SCTP); 0 picks a free one.</summary>
    public int UdpPort { get; set; } = 3478;

    /// <summary>Address the UDP socket binds to ("0.0.0.0", "::" for dual stack, or one address).</summary>
    public string BindAddress { get; set; } = "0.0.0.0";

    /// <summary>
    /// Addresses announced as host candidates, best first. Empty: the bound address, or when bound to
    /// any, the machine's up, non-link-local unicast addresses (loopback only when there is nothing else).
    /// </summary>
    public IList<string> HostAddresses { get; } = [];

    /// <summary>Public address for 1:1 NAT (a cloud VM's elastic IP), announced first.</summary>
    public string? PublicAddress { get; set; }

    /// <summary>PEM files of the DTLS certificate and key; empty: a fresh certificate at start.</summary>
    public string? CertificatePemPath { get; set; }

    public string? PrivateKeyPemPath { get; set; }

    public int MaxPeers { get; set; } = 1000;

    public int MaxPendingHandshakes { get; set; } = 100;

    /// <summary>Peers one SignalR connection may hold.</summary>
    public int MaxPeersPerConnection { get; set; } = 4;

    /// <summary>Longest offer accepted, in characters.</summary>
    public int MaxOfferLength { get; set; } = 32 * 1024;

    public int PeerQueueLength { get; set; } = 256;
}
