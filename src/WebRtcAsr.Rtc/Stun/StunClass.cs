namespace WebRtcAsr.Rtc.Stun;

/// <summary>The class of a STUN message (RFC 8489 section 5): the two class bits of the message type.</summary>
public enum StunClass
{
    Request = 0,
    Indication = 1,
    SuccessResponse = 2,
    ErrorResponse = 3,
}
