namespace WebRtcAsr.Rtc.Ice;

/// <summary>Timers and bounds of the ICE-lite agent.</summary>
public sealed record IceAgentOptions
{
    /// <summary>Consent lifetime (RFC 7675 5.1: 30 seconds) without a valid check before Failed.</summary>
    public TimeSpan ConsentTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>How long the agent waits in New/Checking for a nomination before Failed.</summary>
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// A nomination from another address replaces a higher-priority selection that has sent no valid
    /// check for this long: the controlling agent has moved (a network change) and consent checks
    /// (every 4-6 s, RFC 7675) stopped on the old pair. Without this the switch would wait for the
    /// full consent timeout.
    /// </summary>
    public TimeSpan StaleSelectionAfter { get; init; } = TimeSpan.FromSeconds(3);

    /// <summary>Distinct remote addresses remembered (host, server-reflexive, peer-reflexive); at least 2.</summary>
    public int MaxRemoteAddresses { get; init; } = 16;

    /// <summary>Queued outgoing STUN responses; more are dropped (the peer retransmits).</summary>
    public int MaxPendingTransmits { get; init; } = 16;

    /// <summary>Queued events; the oldest is dropped past this.</summary>
    public int MaxPendingEvents { get; init; } = 32;

    /// <summary>Optional SOFTWARE attribute in responses; none by default (RFC 8489 recommends it, but it helps fingerprinting).</summary>
    public string? Software { get; init; }
}
