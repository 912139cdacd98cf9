namespace WebRtcAsr.Rtc.Stun;

/// <summary>
/// The 14-bit STUN message type: a 12-bit method interleaved with the 2 class bits
/// (RFC 8489 section 5, figure 3: M11..M7 C1 M6..M4 C0 M3..M0).
/// </summary>
public readonly record struct StunMessageType(ushort Method, StunClass Class)
{
    /// <summary>The Binding method, the only one ICE uses.</summary>
    public const ushort BindingMethod = 0x001;

    public static StunMessageType BindingRequest => new(BindingMethod, StunClass.Request);
    public static StunMessageType BindingSuccess => new(BindingMethod, StunClass.SuccessResponse);
    public static StunMessageType BindingError => new(BindingMethod, StunClass.ErrorResponse);
    public static StunMessageType BindingIndication => new(BindingMethod, StunClass.Indication);

    /// <summary>The 16-bit value on the wire (top two bits zero).</summary>
    public ushort ToWire()
    {
        int m = Method & 0xFFF;
        int c = (int)Class;
        return (ushort)((m & 0x000F) | ((c & 1) << 4) | ((m & 0x0070) << 1) | ((c & 2) << 7) | ((m & 0x0F80) << 2));
    }

    public static StunMessageType FromWire(ushort value)
    {
        int m = (value & 0x000F) | ((value >> 1) & 0x0070) | ((value >> 2) & 0x0F80);
        int c = ((value >> 4) & 1) | ((value >> 7) & 2);
        return new StunMessageType((ushort)m, (StunClass)c);
    }
}
