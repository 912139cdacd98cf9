namespace WebRtcAsr.Sip.Calls;

/// <summary>Where a UAS call stands (RFC 3261 §12–§15 from the callee's side).</summary>
public enum SipCallState
{
    /// <summary>INVITE received, 1xx sent, not answered yet (CANCEL still possible).</summary>
    Ringing,

    /// <summary>200 OK sent and being retransmitted until ACK.</summary>
    Answered,

    /// <summary>ACK received: the dialog is confirmed and media flows.</summary>
    Confirmed,

    /// <summary>Over; kept only while its last transaction finishes.</summary>
    Ended,
}
