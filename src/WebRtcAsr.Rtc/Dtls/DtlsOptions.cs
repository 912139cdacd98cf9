namespace WebRtcAsr.Rtc.Dtls;

/// <summary>Tunables of a DTLS endpoint. Defaults follow RFC 6347 4.2.4 timers and a WebRTC-sized MTU.</summary>
public sealed class DtlsOptions
{
    /// <summary>Largest datagram for handshake flights; larger handshake messages are fragmented.</summary>
    public int Mtu { get; init; } = 1200;

    /// <summary>First retransmission timeout (RFC 6347: 1 s).</summary>
    public long InitialRetransmitMicros { get; init; } = 1_000_000;

    /// <summary>Upper bound of the doubling retransmission timeout (RFC 6347: 60 s).</summary>
    public long MaxRetransmitMicros { get; init; } = 60_000_000;

    /// <summary>Retransmissions of one flight before the handshake is declared failed.</summary>
    public int MaxRetransmissions { get; init; } = 7;

    /// <summary>SRTP profiles in order of preference (client: offered in this order; server: picks the first the client offered).</summary>
    public IReadOnlyList<DtlsSrtpProfile> SrtpProfiles { get; init; } = [DtlsSrtpProfile.AeadAes128Gcm, DtlsSrtpProfile.Aes128CmHmacSha1_80];

    /// <summary>Server: refuse a handshake that does not negotiate an SRTP profile. WebRTC always negotiates one.</summary>
    public bool RequireSrtp { get; init; } = true;

    /// <summary>Refuse peers without the extended master secret (RFC 7627). Chromium, Firefox,
    /// OpenSSL and GnuTLS all use it; without it a master secret is not bound to its handshake.</summary>
    public bool RequireExtendedMasterSecret { get; init; } = true;

    /// <summary>Client: offer extended_master_secret. Off only to test the RFC 5246 derivation.</summary>
    internal bool OfferExtendedMasterSecret { get; init; } = true;

    /// <summary>Server: answer the first ClientHello with a HelloVerifyRequest cookie (RFC 6347 4.2.1).
    /// ICE has already checked the peer's address, so WebRTC servers usually skip it.</summary>
    public bool UseCookie { get; init; }

    /// <summary>Bound of the outgoing datagram queue.</summary>
    public int MaxQueuedDatagrams { get; init; } = 256;

    /// <summary>Bound of the event queue; application data beyond it is dropped and counted.</summary>
    public int MaxQueuedEvents { get; init; } = 256;

    internal void Validate()
    {
        if (Mtu < 256 || Mtu > 65_507)
        {
            throw new ArgumentOutOfRangeException(nameof(Mtu), "MTU must be between 256 and 65507");
        }
        if (InitialRetransmitMicros <= 0 || MaxRetransmitMicros < InitialRetransmitMicros || MaxRetransmissions < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(InitialRetransmitMicros), "bad retransmission timers");
        }
        if (SrtpProfiles.Count == 0 && RequireSrtp)
        {
            throw new ArgumentException("RequireSrtp needs at least one SRTP profile", nameof(SrtpProfiles));
        }
        if (MaxQueuedDatagrams < 16 || MaxQueuedEvents < 4)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxQueuedDatagrams), "queues too small");
        }
    }
}
