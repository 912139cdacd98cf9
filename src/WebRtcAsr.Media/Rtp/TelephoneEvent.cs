using System.Buffers.Binary;

namespace WebRtcAsr.Media.Rtp;

/// <summary>
/// One RFC 4733 named-event payload (§2.3): event code, end bit, volume (−dBm0) and the duration so far in
/// RTP timestamp units, counted from the event's start (the packet's RTP timestamp).
/// </summary>
public readonly record struct TelephoneEvent(byte Event, bool End, byte Volume, ushort Duration)
{
    /// <summary>Size of one event block on the wire.</summary>
    public const int Length = 4;

    /// <summary>Events 0–15 are the DTMF keys (RFC 4733 §3.2 table 7).</summary>
    public const int DtmfEventCount = 16;

    private const string DtmfKeys = "0123456789*#ABCD";

    /// <summary>True for the sixteen DTMF events.</summary>
    public bool IsDtmf => Event < DtmfEventCount;

    /// <summary>The key ('0'–'9', '*', '#', 'A'–'D'), or '\0' for a non-DTMF event.</summary>
    public char Key => ToKey(Event);

    /// <summary>The key of a DTMF event code, or '\0'.</summary>
    public static char ToKey(int eventCode) => (uint)eventCode < DtmfEventCount ? DtmfKeys[eventCode] : '\0';

    /// <summary>
    /// Reads the first event block of a payload. Trailing blocks (RFC 4733 §2.5.1.5 redundancy, via RFC 2198
    /// they would arrive in a different PT) are ignored. Never throws.
    /// </summary>
    public static bool TryParse(ReadOnlySpan<byte> payload, out TelephoneEvent value, out string? error)
    {
        if (payload.Length < Length)
        {
            value = default;
            error = "a telephone-event payload is at least 4 bytes";
            return false;
        }

        // |     event     |E|R| volume    |          duration             |
        value = new TelephoneEvent(payload[0], (payload[1] & 0x80) != 0, (byte)(payload[1] & 0x3F),
            BinaryPrimitives.ReadUInt16BigEndian(payload[2..]));
        error = null;
        return true;
    }

    /// <summary>Writes the 4-byte block; returns 0 when the destination is too small.</summary>
    public int WriteTo(Span<byte> destination)
    {
        if (destination.Length < Length)
        {
            return 0;
        }

        // The R bit is reserved: sent as zero (§2.3).
        destination[0] = Event;
        destination[1] = (byte)((End ? 0x80 : 0) | (Volume & 0x3F));
        BinaryPrimitives.WriteUInt16BigEndian(destination[2..], Duration);
        return Length;
    }
}
