namespace WebRtcAsr.Sip;

/// <summary>What the SIP core has seen and refused, for metrics and tests.</summary>
public sealed class SipServerCounters
{
    public long MessagesReceived { get; internal set; }

    public long KeepAlives { get; internal set; }

    /// <summary>Messages that failed to parse.</summary>
    public long ParseErrors { get; internal set; }

    /// <summary>Parse failures answered with 400/413/505.</summary>
    public long BadRequestsAnswered { get; internal set; }

    /// <summary>Parse failures that could not be answered (responses, ACKs, no usable Via/From/To/Call-ID/CSeq).</summary>
    public long InvalidDropped { get; internal set; }

    public long RateLimited { get; internal set; }

    public long Forbidden { get; internal set; }

    public long AuthChallenges { get; internal set; }

    public long RequestRetransmissions { get; internal set; }

    /// <summary>503s sent because a table or queue was full.</summary>
    public long Overloaded { get; internal set; }

    /// <summary>486s sent at the call limit.</summary>
    public long Busy { get; internal set; }

    /// <summary>Calls the host refused before answering (<see cref="SipServer.RejectCall"/>) or that waited too long for their media.</summary>
    public long Refused { get; internal set; }

    public long StrayAcks { get; internal set; }

    public long StrayResponses { get; internal set; }

    public long CallsOffered { get; internal set; }

    public long CallsStarted { get; internal set; }

    public long CallsEnded { get; internal set; }

    public long EventsDropped { get; internal set; }
}
