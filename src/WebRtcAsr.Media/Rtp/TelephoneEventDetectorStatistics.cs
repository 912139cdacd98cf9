namespace WebRtcAsr.Media.Rtp;

/// <summary>Counters of a <see cref="TelephoneEventDetector"/>.</summary>
public sealed class TelephoneEventDetectorStatistics
{
    /// <summary>telephone-event packets fed in.</summary>
    public long Packets { get; internal set; }

    /// <summary>Payloads shorter than one event block.</summary>
    public long Malformed { get; internal set; }

    /// <summary>Events other than the sixteen DTMF keys (ignored).</summary>
    public long NotDtmf { get; internal set; }

    /// <summary>Retransmitted end packets and updates that arrived after their event was reported.</summary>
    public long Redundant { get; internal set; }

    /// <summary>Events whose first packet (marker bit) was not seen.</summary>
    public long StartsWithoutMarker { get; internal set; }

    /// <summary>Events closed without an end packet (a new event began, the timeout passed, or the stream ended).</summary>
    public long EndsLost { get; internal set; }

    /// <summary>Long events continued in a new segment (§2.5.1.3), part of one press.</summary>
    public long Segments { get; internal set; }

    /// <summary>Key presses reported.</summary>
    public long Presses { get; internal set; }

    /// <summary>Key presses dropped because nobody took them (<see cref="TelephoneEventDetectorOptions.MaxPendingPresses"/>).</summary>
    public long PressesDropped { get; internal set; }
}
