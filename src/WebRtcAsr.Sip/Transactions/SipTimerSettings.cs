namespace WebRtcAsr.Sip.Transactions;

/// <summary>RFC 3261 §17 timer base values (Table 4): T1 round-trip estimate, T2 cap for non-INVITE retransmits, T4 network lifetime.</summary>
public sealed record SipTimerSettings
{
    public TimeSpan T1 { get; init; } = TimeSpan.FromMilliseconds(500);

    public TimeSpan T2 { get; init; } = TimeSpan.FromSeconds(4);

    public TimeSpan T4 { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>64·T1: Timers B, F, H, J and the 2xx-until-ACK window.</summary>
    public TimeSpan TransactionTimeout => T1 * 64;

    public static SipTimerSettings Default { get; } = new();

    /// <summary>The next retransmit interval: doubled, capped at T2 (Timers E, G and 2xx retransmission).</summary>
    public TimeSpan Backoff(TimeSpan interval) => interval * 2 < T2 ? interval * 2 : T2;
}
