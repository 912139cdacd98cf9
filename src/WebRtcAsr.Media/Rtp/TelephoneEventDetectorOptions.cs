namespace WebRtcAsr.Media.Rtp;

/// <summary>Settings of a <see cref="TelephoneEventDetector"/>.</summary>
public sealed record TelephoneEventDetectorOptions
{
    /// <summary>RTP clock rate of the telephone-event payload type (8000 with G.711, from the SDP rtpmap).</summary>
    public int ClockRate { get; init; } = 8000;

    /// <summary>
    /// How long an event may go without an update before it is taken as ended (its end packets lost). RFC 4733
    /// §2.5.1.2 has senders update every 50 ms or so; a second is many lost packets.
    /// </summary>
    public TimeSpan EndTimeout { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Key presses held for <see cref="TelephoneEventDetector.TryPoll"/> before the oldest is dropped.</summary>
    public int MaxPendingPresses { get; init; } = 64;
}
