namespace WebRtcAsr.Media.Rtp;

/// <summary>
/// One key press reassembled from RFC 4733 telephone-event packets.
/// </summary>
/// <param name="Key">'0'–'9', '*', '#', 'A'–'D'.</param>
/// <param name="Event">The event code (0–15).</param>
/// <param name="RtpTimestamp">The event's start: the RTP timestamp all its packets carry, extended to 64 bits.</param>
/// <param name="Duration">Length of the tone as the sender last reported it.</param>
/// <param name="Volume">Power level in −dBm0 (0–63), as last reported.</param>
/// <param name="Ended">True when an end packet was seen; false when the press was closed because the end packets
/// were lost (a new event began, or nothing came for <see cref="TelephoneEventDetectorOptions.EndTimeout"/>).</param>
public readonly record struct TelephoneEventKeyPress(char Key, byte Event, long RtpTimestamp, TimeSpan Duration, byte Volume, bool Ended);
