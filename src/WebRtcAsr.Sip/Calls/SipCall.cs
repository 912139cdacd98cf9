using WebRtcAsr.Sip.Messages;
using WebRtcAsr.Sip.Sdp;
using WebRtcAsr.Sip.Transactions;

namespace WebRtcAsr.Sip.Calls;

/// <summary>
/// One UAS dialog (RFC 3261 §12.1.1): identifiers, route set, remote target, sequence numbers, the media
/// agreed so far, and the TU timers the dialog owns: answering after the ring time and retransmitting
/// a 2xx until its ACK (T1 doubling to T2, given up after 64·T1; §13.3.1.4).
/// </summary>
internal sealed class SipCall(string callId, string localTag, SipRequest invite, SipFlow flow, int localPort) : ISipTimed
{
    public string CallId { get; } = callId;

    public string LocalTag { get; } = localTag;

    public string? RemoteTag { get; } = invite.From!.Tag;

    /// <summary>The From header as received (the caller), for events and our To on BYE.</summary>
    public string RemoteParty { get; } = invite.Headers.Get(SipHeaderNames.From)!;

    /// <summary>The To header as received (the number called), for events.</summary>
    public string CalledParty { get; } = invite.Headers.Get(SipHeaderNames.To)!;

    /// <summary>The To header plus our tag (us), our From on BYE.</summary>
    public string LocalParty { get; } = invite.Headers.Get(SipHeaderNames.To)! + ";tag=" + localTag;

    /// <summary>Record-Route values in order (the UAS route set, §12.1.1).</summary>
    public IReadOnlyList<string> RouteSet { get; } = invite.Headers.GetValues(SipHeaderNames.RecordRoute);

    public SipUri RemoteTarget { get; set; } = invite.From!.Uri;

    public SipFlow Flow { get; } = flow;

    public int LocalPort { get; } = localPort;

    public SipCallState State { get; set; } = SipCallState.Ringing;

    public long RemoteCSeq { get; set; } = invite.CSeq.Number;

    public long LocalCSeq { get; set; }

    /// <summary>The INVITE being answered (initial or re-INVITE) and its transaction.</summary>
    public SipRequest PendingInvite { get; set; } = invite;

    public InviteServerTransaction? InviteTransaction { get; set; }

    public SipMediaSession? Media { get; set; }

    /// <summary>Media from a re-INVITE, applied when its ACK arrives.</summary>
    public SipMediaSession? PendingMedia { get; set; }

    /// <summary>The SDP (answer or offer) to put in the next 2xx.</summary>
    public string? PendingAnswer { get; set; }

    /// <summary>We put an offer in our 2xx; the answer comes in the ACK.</summary>
    public bool AwaitingAnswerInAck { get; set; }

    public ulong SdpSessionId { get; init; }

    public ulong SdpVersion { get; set; }

    /// <summary>Set when the host hung up while our 2xx was still unacknowledged: BYE goes out after the ACK.</summary>
    public CallEndReason? HangupAfterAck { get; set; }

    public TimeSpan? AnswerAt { get; set; }

    /// <summary>Until the host reports the call's RTP port bound, the 200 OK waits; the call is refused at this time.</summary>
    public TimeSpan? MediaReadyDeadline { get; set; }

    public byte[]? Pending2xx { get; private set; }

    public long Pending2xxCSeq { get; private set; }

    public TimeSpan? Retransmit2xxAt { get; set; }

    public TimeSpan Retransmit2xxInterval { get; set; }

    public TimeSpan? AckDeadline { get; private set; }

    public TimeSpan? NextDue => State == SipCallState.Ended ? null : Earliest(Earliest(AnswerAt, MediaReadyDeadline), Earliest(Retransmit2xxAt, AckDeadline));

    public void Start2xxRetransmission(byte[] response, long cseq, TimeSpan now, SipTimerSettings timers)
    {
        Pending2xx = response;
        Pending2xxCSeq = cseq;
        Retransmit2xxInterval = timers.T1;
        Retransmit2xxAt = Flow.IsReliable ? null : now + timers.T1;
        AckDeadline = now + timers.TransactionTimeout;
    }

    public void Stop2xxRetransmission()
    {
        Pending2xx = null;
        Retransmit2xxAt = null;
        AckDeadline = null;
    }

    /// <summary>Whether a request belongs to this dialog (Call-ID, our tag in To, their tag in From).</summary>
    public bool Matches(SipRequest request) =>
        request.To?.Tag == LocalTag && (RemoteTag is null || request.From?.Tag == RemoteTag);

    private static TimeSpan? Earliest(TimeSpan? a, TimeSpan? b) => a is null ? b : b is null ? a : (a < b ? a : b);
}
